/** JSON Pointers (RFC 6901), the paths problems are reported at: "/targets/prod/region". */

export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The root is shown as "/" so a problem never has an empty path. */
export function displayPointer(pointer: string): string {
  return pointer === "" ? "/" : pointer;
}
