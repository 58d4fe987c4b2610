//! The WebAssembly adapter (feature `wasm`): built out in the npm package work.
