/**
 * Label and annotation keys more than one package reads or writes: the controller renders them,
 * the autoscaler and the gateway select by them. Named once here so a rename reaches every
 * reader. (Keys only one package uses stay next to their code.)
 */

/** Label carrying the Model name on everything the controller renders. */
export const MODEL_LABEL = 'bascule.dev/model';
/** Label carrying the engine (vllm or tgi). */
export const ENGINE_LABEL = 'bascule.dev/engine';
/** Annotation with the hash of the rendered pod template (Deployment and pod template). */
export const TEMPLATE_HASH_ANNOTATION = 'bascule.dev/template-hash';
/** The standard label naming the tool that manages an object, and bascule's value of it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'bascule';
/** Label selector of everything bascule renders (`app.kubernetes.io/managed-by=bascule`). */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
