// Between the language server's paths and VS Code's URIs. Pure string work, no `vscode` import,
// so the Node tests load it as it ships.
//
// The server's core finds `idemsql.toml` and schema files by path: it turns each document's
// `file:` URI into a path and asks for the files it needs by path. VS Code for the web (and
// virtual workspaces on the desktop, such as GitHub repositories) has no `file:` URIs: there a
// document is `vscode-vfs://github/owner/repo/a.sql`. So that the core treats such a workspace
// like a folder on disk, the client shows it `file:` URIs under a reserved folder,
// `file:///.idemsql-vfs/<scheme>/~<authority>/<path>`, and maps them back on the way in
// (vscode-languageclient's `uriConverters`). `file:` and `untitled:` URIs pass unchanged.

/** The parts of a URI that the mapping needs (a `vscode.Uri` has them). */
export interface UriParts {
  scheme: string;
  authority: string;
  path: string;
}

/** The reserved first folder of mapped URIs' paths. */
export const VFS_ROOT = ".idemsql-vfs";

/** Schemes the server sees as they are. */
const PLAIN_SCHEMES = new Set(["file", "untitled"]);

/** Does the client map URIs of this scheme? */
export function isMapped(scheme: string): boolean {
  return !PLAIN_SCHEMES.has(scheme);
}

/** Percent-encode one path segment the way `file:` URIs spell it. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A path of the server (`/a/b`, `C:/a/b`, `//host/share/b`) as a `file:` URI. */
export function pathToFileUri(path: string): string {
  const p = path.replace(/\\/g, "/");
  if (p.startsWith("//")) {
    // A UNC path: the host is the authority.
    const rest = p.slice(2);
    const slash = rest.indexOf("/");
    const host = slash < 0 ? rest : rest.slice(0, slash);
    const tail = slash < 0 ? "/" : rest.slice(slash);
    return `file://${host}${encodePath(tail)}`;
  }
  if (/^[A-Za-z]:/.test(p)) return `file:///${p.slice(0, 2)}${encodePath(p.slice(2))}`;
  return `file://${encodePath(p.startsWith("/") ? p : `/${p}`)}`;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeSegment).join("/");
}

/**
 * The `file:` URI the server sees for a document or folder of another scheme:
 * `vscode-vfs://github/o/r/a.sql` is `file:///.idemsql-vfs/vscode-vfs/~github/o/r/a.sql`.
 */
export function mappedUri(uri: UriParts): string {
  const path = uri.path.startsWith("/") ? uri.path : `/${uri.path}`;
  return `file:///${VFS_ROOT}/${encodeSegment(uri.scheme)}/${encodeSegment(`~${uri.authority}`)}${encodePath(path)}`;
}

/**
 * The URI of a path the server asks for or a URI it sends: a path under the reserved folder is
 * the original scheme's URI again; any other path is a `file:` URI. `null` for paths inside the
 * reserved folder that name no URI (such as `/.idemsql-vfs/idemsql.toml`, which the core asks
 * for on its way up to the root).
 */
export function pathToUri(path: string): UriParts | null {
  const p = path.replace(/\\/g, "/");
  const prefix = `/${VFS_ROOT}`;
  if (p !== prefix && !p.startsWith(`${prefix}/`)) {
    const file = pathToFileUri(p);
    const m = /^file:\/\/([^/]*)(\/.*)$/.exec(file);
    return { scheme: "file", authority: m ? m[1] : "", path: m ? decodeURIComponent(m[2]) : p };
  }
  const parts = p.slice(prefix.length + 1).split("/");
  if (parts.length < 2 || !parts[1].startsWith("~") || parts[0] === "") return null;
  const [scheme, authority, ...rest] = parts;
  return { scheme, authority: authority.slice(1), path: `/${rest.join("/")}` };
}

/** The path of a `file:` URI as the server computes it (percent-decoded). */
export function fileUriToPath(uri: string): string | null {
  const m = /^file:\/\/([^/?#]*)([^?#]*)/i.exec(uri);
  if (!m) return null;
  let path: string;
  try {
    path = decodeURIComponent(m[2] || "/");
  } catch {
    return null;
  }
  if (m[1] && m[1].toLowerCase() !== "localhost") return `//${m[1]}${path}`;
  if (/^\/[A-Za-z]:/.test(path)) return path.slice(1);
  return path;
}

/** A URI the server sent, as the client's URI parts (mapped URIs back to their scheme). */
export function serverUriToParts(uri: string): UriParts | null {
  const path = fileUriToPath(uri);
  if (path === null) return null;
  return pathToUri(path);
}
