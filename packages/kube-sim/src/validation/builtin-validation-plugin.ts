import { badRequest, invalid } from '../store/status-error.js';
import type { StorePlugin } from '../store/store-plugin.js';
import { builtinDefinitions, definitionFor } from './builtin-schemas.js';
import { validateBuiltinSemantics } from './builtin-semantics.js';
import { decodeBuiltin } from './decode-builtin.js';

/**
 * Validates built-in objects as the API server does: decoded against Kubernetes' OpenAPI
 * definition of the kind (unknown fields dropped, warned about or, with fieldValidation=Strict,
 * rejected; type mismatches and malformed quantities answered 400), then its required fields and
 * semantic rules (selector, resources) answered 422. CRD-backed kinds are left to the CRD plugin.
 */
export function builtinValidationPlugin(): StorePlugin {
  return {
    prepare(ctx) {
      const { type, object } = ctx;
      if (type.crd || type.kind === 'CustomResourceDefinition') return object;
      const def = definitionFor(type.group, ctx.ref.version, type.kind);
      const schema = def ? builtinDefinitions().definitions[def] : undefined;
      if (!schema) return object;
      const cannot = `${type.kind} in version "${ctx.ref.version}" cannot be handled as a ${type.kind}`;
      const decoded = decodeBuiltin(object, schema);
      if (decoded.decodeError) throw badRequest(`${cannot}: ${decoded.decodeError}`);
      if (decoded.unknown.length > 0 && ctx.fieldValidation === 'Strict') {
        const list = decoded.unknown.map((f) => `unknown field "${f}"`).join(', ');
        throw badRequest(`${cannot}: strict decoding error: ${list}`);
      }
      if (ctx.fieldValidation === 'Warn')
        for (const f of decoded.unknown) ctx.warnings.push(`unknown field "${f}"`);
      const causes = [...decoded.required, ...validateBuiltinSemantics(object, ctx.old)];
      if (causes.length > 0)
        throw invalid(type.group, type.kind, object.metadata.name ?? '', causes);
      return object;
    },
  };
}
