/** Base class of every error this package throws. */
export class SpecError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpecError';
  }
}

/** One problem with a resource: where (JSON path from the object root) and what. */
export interface SpecIssue {
  path: (string | number)[];
  message: string;
  /** The issue is about the key itself (an unknown field), not its value. */
  onKey?: boolean;
}

/** A resource failed validation; `issues` lists every problem found. */
export class SpecValidationError extends SpecError {
  constructor(
    readonly kind: string,
    readonly objectName: string | undefined,
    readonly issues: SpecIssue[],
  ) {
    super(
      `${kind}/${objectName ?? '<unnamed>'}: ` +
        issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '),
    );
    this.name = 'SpecValidationError';
  }
}

/** `.spec.targets[0].model` style path; `.` for the root. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '.';
  return path
    .map((p) =>
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `["${p}"]`,
    )
    .join('');
}
