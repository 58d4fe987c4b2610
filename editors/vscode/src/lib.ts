// What the Node tests load (out/lib.mjs): the extension's logic that does not need VS Code.
export { ServerHost, type HostOptions } from "./host";
export { inProcessTransports } from "./transport";
export * from "./paths";
export * from "./settings";
export * from "./protocol";
