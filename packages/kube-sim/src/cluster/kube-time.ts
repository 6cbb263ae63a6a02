// Timestamps as Kubernetes writes metav1.Time: RFC 3339 in UTC with second precision.

export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
