// Runs a browser worker script (dist/worker.js) in a Node.js worker thread: `self` with
// postMessage and onmessage, as a dedicated Web Worker has.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");

globalThis.self = globalThis;
globalThis.postMessage = (message) => parentPort.postMessage(message);
let listener;
Object.defineProperty(globalThis, "onmessage", {
  get: () => listener,
  set(fn) {
    if (!listener) parentPort.on("message", (data) => listener && listener({ data }));
    listener = fn;
  },
});
require(workerData.script);
