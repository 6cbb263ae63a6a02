import {
  authorize,
  rulesFor,
  TOKEN_ISSUER,
  tokensFor,
  type RequestAttributes,
  type UserInfo,
} from '../../rbac/index.js';
import { formatTimestamp, invalid, notFound } from '../../store/index.js';
import { isPlainObject } from '../patch/merge-patch.js';
import { rbacObjects } from '../authorize-request.js';
import { sendJson } from '../http-util.js';
import type { ResourceRequest, ServerContext } from './request-context.js';
import { readObject } from './write-handlers.js';

interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/**
 * POST selfsubjectaccessreviews (`kubectl auth can-i`): whether the requesting user may do what
 * the review describes, answered by the same RBAC evaluation as real requests; never stored.
 */
export async function handleSelfSubjectAccessReview(
  ctx: ServerContext,
  r: ResourceRequest,
  user: UserInfo,
): Promise<void> {
  const review = await readObject(r);
  const spec = (isPlainObject(review['spec']) ? review['spec'] : {}) as {
    resourceAttributes?: ResourceAttributesSpec;
    nonResourceAttributes?: { path?: string; verb?: string };
  };
  const res = spec.resourceAttributes;
  const non = spec.nonResourceAttributes;
  if (!res === !non) {
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      {
        reason: 'FieldValueRequired',
        field: 'spec.resourceAttributes',
        message:
          'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const attrs: RequestAttributes = res
    ? {
        resourceRequest: true,
        verb: res.verb ?? '',
        apiGroup: res.group ?? '',
        resource: res.resource ?? '',
        ...(res.subresource ? { subresource: res.subresource } : {}),
        ...(res.namespace ? { namespace: res.namespace } : {}),
        ...(res.name ? { name: res.name } : {}),
      }
    : { resourceRequest: false, verb: non!.verb ?? '', path: non!.path ?? '' };
  const allowed = authorize(user, attrs, rbacObjects(ctx.store));
  sendJson(r.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed, ...(allowed ? {} : { reason: '' }) },
  });
}

/** POST selfsubjectrulesreviews (`kubectl auth can-i --list`): the user's rules in a namespace. */
export async function handleSelfSubjectRulesReview(
  ctx: ServerContext,
  r: ResourceRequest,
  user: UserInfo,
): Promise<void> {
  const review = await readObject(r);
  const spec = (isPlainObject(review['spec']) ? review['spec'] : {}) as { namespace?: string };
  const all = user.groups.includes('system:masters')
    ? [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ]
    : rulesFor(user, spec.namespace || undefined, rbacObjects(ctx.store));
  sendJson(r.res, 201, {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: {
      resourceRules: all
        .filter((x) => !x.nonResourceURLs)
        .map((x) => ({
          verbs: x.verbs ?? [],
          ...(x.apiGroups ? { apiGroups: x.apiGroups } : {}),
          ...(x.resources ? { resources: x.resources } : {}),
          ...(x.resourceNames ? { resourceNames: x.resourceNames } : {}),
        })),
      nonResourceRules: all
        .filter((x) => x.nonResourceURLs)
        .map((x) => ({ verbs: x.verbs ?? [], nonResourceURLs: x.nonResourceURLs })),
      incomplete: false,
    },
  });
}

const MIN_EXPIRATION_SECONDS = 600;
const DEFAULT_EXPIRATION_SECONDS = 3600;

/** POST serviceaccounts/{name}/token (`kubectl create token`): a bound, expiring token. */
export async function handleTokenRequest(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const body = await readObject(r);
  const namespace = r.namespace ?? 'default';
  const name = r.name!;
  const sa = ctx.store.getShared(
    { group: '', version: 'v1', resource: 'serviceaccounts' },
    namespace,
    name,
  );
  if (!sa) throw notFound('', 'serviceaccounts', name);
  const spec = (isPlainObject(body['spec']) ? body['spec'] : {}) as {
    audiences?: string[];
    expirationSeconds?: number;
    boundObjectRef?: unknown;
  };
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${JSON.stringify(spec.expirationSeconds)}: may not specify a duration less than 10 minutes`,
      },
    ]);
  }
  const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : [TOKEN_ISSUER];
  const now = ctx.clock();
  const iat = Math.floor(now.getTime() / 1000);
  const token = tokensFor(ctx.store).issue({
    iss: TOKEN_ISSUER,
    sub: `system:serviceaccount:${namespace}:${name}`,
    aud: audiences,
    iat,
    nbf: iat,
    exp: iat + expirationSeconds,
    'kubernetes.io': { namespace, serviceaccount: { name, uid: sa.metadata.uid! } },
  });
  sendJson(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: formatTimestamp(now) },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: {
      token,
      expirationTimestamp: formatTimestamp(new Date((iat + expirationSeconds) * 1000)),
    },
  });
}
