/**
 * The rules version of a whole scan: every rule family's own version (`tools-1.0.0`,
 * `engine-1`, and the package analyzers' when wired), sorted and joined with `+`, so the same
 * families at the same versions always give the same string whatever order they are listed in.
 * A change to any family changes it, and the reconciler then rescans every version.
 */
export function composeRulesVersion(familyVersions: readonly string[]): string {
  const unique = [...new Set(familyVersions.map((v) => v.trim()).filter((v) => v.length > 0))];
  if (unique.length === 0) throw new Error('composeRulesVersion needs at least one rule family version');
  return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('+');
}
