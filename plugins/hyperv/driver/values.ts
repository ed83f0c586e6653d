/**
 * Windows PowerShell 5.1 can serialise an array as `{"value":[…],"Count":n}` (its extended
 * type data for arrays); either form means the list.
 */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') {
    const wrapped = value as { value?: unknown; Count?: unknown };
    if (Array.isArray(wrapped.value) && typeof wrapped.Count === 'number') return wrapped.value;
  }
  return [value];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
