/** Path helpers for drop-relative paths (forward slashes). */

/** Directory part of a path ('' for top level). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Last path component. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
