/** The API group of every Bascule resource. */
export const GROUP = 'bascule.dev';
/** The only served (and stored) version. */
export const VERSION = 'v1alpha1';
/** `apiVersion` as written in manifests. */
export const API_VERSION = `${GROUP}/${VERSION}` as const;

/** The kinds this package owns. */
export const KINDS = ['Model', 'Provider', 'Route'] as const;
export type ResourceKind = (typeof KINDS)[number];
