import { StatusError } from '../../store/index.js';
import { readFields, type ProtoField } from './proto-reader.js';

type FieldType =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'int64'
  | 'time'
  | 'strings'
  | 'map'
  | 'bytesMap'
  | { message: Schema }
  | { messages: Schema };
type Schema = Record<number, [string, FieldType]>;

const TYPE_META: Schema = { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] };
const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};
const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int64'],
  8: ['creationTimestamp', 'time'],
  11: ['labels', 'map'],
  12: ['annotations', 'map'],
  13: ['ownerReferences', { messages: OWNER_REFERENCE }],
  14: ['finalizers', 'strings'],
};
const LOCAL_OBJECT_REFERENCE: Schema = { 1: ['name', 'string'] };
const OBJECT_REFERENCE: Schema = {
  1: ['kind', 'string'],
  2: ['namespace', 'string'],
  3: ['name', 'string'],
};

const POLICY_RULE: Schema = {
  1: ['verbs', 'strings'],
  2: ['apiGroups', 'strings'],
  3: ['resources', 'strings'],
  4: ['resourceNames', 'strings'],
  5: ['nonResourceURLs', 'strings'],
};
const SUBJECT: Schema = {
  1: ['kind', 'string'],
  2: ['apiGroup', 'string'],
  3: ['name', 'string'],
  4: ['namespace', 'string'],
};
const ROLE_REF: Schema = {
  1: ['apiGroup', 'string'],
  2: ['kind', 'string'],
  3: ['name', 'string'],
};
const ROLE: Schema = {
  1: ['metadata', { message: OBJECT_META }],
  2: ['rules', { messages: POLICY_RULE }],
};
const BINDING: Schema = {
  1: ['metadata', { message: OBJECT_META }],
  2: ['subjects', { messages: SUBJECT }],
  3: ['roleRef', { message: ROLE_REF }],
};

/** Protobuf schemas (k8s.io/api generated.proto field numbers) of the kinds kubectl creates. */
const KINDS: Record<string, Schema> = {
  Secret: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', 'bytesMap'],
    3: ['type', 'string'],
    4: ['stringData', 'map'],
    5: ['immutable', 'bool'],
  },
  ConfigMap: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', 'map'],
    3: ['binaryData', 'bytesMap'],
    4: ['immutable', 'bool'],
  },
  Namespace: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['spec', { message: { 1: ['finalizers', 'strings'] } }],
  },
  ServiceAccount: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['secrets', { messages: OBJECT_REFERENCE }],
    3: ['imagePullSecrets', { messages: LOCAL_OBJECT_REFERENCE }],
    4: ['automountServiceAccountToken', 'bool'],
  },
  Role: ROLE,
  ClusterRole: ROLE,
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  TokenRequest: {
    1: ['metadata', { message: OBJECT_META }],
    2: [
      'spec',
      {
        message: {
          1: ['audiences', 'strings'],
          3: [
            'boundObjectRef',
            {
              message: {
                1: ['kind', 'string'],
                2: ['apiVersion', 'string'],
                3: ['name', 'string'],
                4: ['uid', 'string'],
              },
            },
          ],
          4: ['expirationSeconds', 'int64'],
        },
      },
    ],
  },
  SelfSubjectRulesReview: {
    1: ['metadata', { message: OBJECT_META }],
    2: ['spec', { message: { 1: ['namespace', 'string'] } }],
  },
  SelfSubjectAccessReview: {
    1: ['metadata', { message: OBJECT_META }],
    2: [
      'spec',
      {
        message: {
          1: [
            'resourceAttributes',
            {
              message: {
                1: ['namespace', 'string'],
                2: ['verb', 'string'],
                3: ['group', 'string'],
                4: ['version', 'string'],
                5: ['resource', 'string'],
                6: ['subresource', 'string'],
                7: ['name', 'string'],
              },
            },
          ],
          2: [
            'nonResourceAttributes',
            { message: { 1: ['path', 'string'], 2: ['verb', 'string'] } },
          ],
        },
      },
    ],
  },
};

const text = new TextDecoder();

function mapEntry(f: ProtoField): [string, Uint8Array] {
  let key = '';
  let value: Uint8Array = new Uint8Array();
  for (const e of readFields(f.bytes ?? new Uint8Array())) {
    if (e.field === 1) key = text.decode(e.bytes);
    if (e.field === 2) value = e.bytes ?? new Uint8Array();
  }
  return [key, value];
}

function decodeMessage(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readFields(buf)) {
    const spec = schema[f.field];
    if (!spec) continue;
    const [name, type] = spec;
    if (type === 'string') {
      const value = text.decode(f.bytes);
      if (value !== '') out[name] = value; // Go writes empty strings; JSON omits them
    } else if (type === 'bytes') out[name] = Buffer.from(f.bytes ?? []).toString('base64');
    else if (type === 'bool') out[name] = f.varint !== 0n;
    else if (type === 'int64') out[name] = Number(f.varint ?? 0n);
    else if (type === 'time') {
      const seconds =
        readFields(f.bytes ?? new Uint8Array()).find((x) => x.field === 1)?.varint ?? 0n;
      if (seconds !== 0n)
        out[name] = new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    } else if (type === 'strings')
      out[name] = [...((out[name] as string[] | undefined) ?? []), text.decode(f.bytes)];
    else if (type === 'map' || type === 'bytesMap') {
      const [k, v] = mapEntry(f);
      const map = (out[name] as Record<string, string> | undefined) ?? {};
      map[k] = type === 'map' ? text.decode(v) : Buffer.from(v).toString('base64');
      out[name] = map;
    } else if ('message' in type)
      out[name] = decodeMessage(f.bytes ?? new Uint8Array(), type.message);
    else
      out[name] = [
        ...((out[name] as unknown[] | undefined) ?? []),
        decodeMessage(f.bytes ?? new Uint8Array(), type.messages),
      ];
  }
  return out;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/**
 * Decodes a Kubernetes protobuf request body (`k8s\0` + runtime.Unknown) for the kinds kubectl's
 * typed `create` subcommands send (Secret, ConfigMap, Namespace, ServiceAccount); other kinds get
 * 415 Unsupported Media Type with a clear message.
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw new StatusError(
      400,
      'BadRequest',
      'the protobuf body does not start with the k8s\\0 magic prefix',
      {},
    );
  }
  let typeMeta: Record<string, unknown> = {};
  let raw: Uint8Array | undefined;
  try {
    for (const f of readFields(body.subarray(4))) {
      if (f.field === 1) typeMeta = decodeMessage(f.bytes ?? new Uint8Array(), TYPE_META);
      if (f.field === 2) raw = f.bytes;
    }
  } catch (err) {
    throw new StatusError(
      400,
      'BadRequest',
      `the protobuf body could not be decoded: ${(err as Error).message}`,
      {},
    );
  }
  const kind = typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '';
  const schema = KINDS[kind];
  if (!schema || !raw) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `kube-sim decodes protobuf bodies only for ${Object.keys(KINDS).join(', ')}; send ${kind || 'this object'} as JSON (for example with kubectl apply -f)`,
      {},
    );
  }
  return { apiVersion: typeMeta['apiVersion'], kind, ...decodeMessage(raw, schema) };
}
