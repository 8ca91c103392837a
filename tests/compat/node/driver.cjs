'use strict';
// Runs one snippet (standard input, or $COMPAT_SNIPPET) against the published gpueater 1.5.3, which is required
// here and never run as the main script (as main, its index.js rewrites itself).
// The snippet is the body of an async function with:
//   call(name, form?)  -> Promise of {error, data} (or {thrown} when the function throws)
//   emit(value)        -> the snippet's answer, written as JSON to $COMPAT_RESULT
//   g                  -> the published module itself
const fs = require('fs');
const g = require('gpueater');

g.set_params({ interactive: false });

function plain(value) {
  if (value instanceof Error) return String(value);
  return value === undefined ? null : value;
}

function call(name, form) {
  return new Promise((resolve) => {
    const done = (error, data) => resolve({ error: plain(error), data: plain(data) });
    try {
      if (form === undefined) g[name](done);
      else g[name](form, done);
    } catch (thrown) {
      resolve({ thrown: String(thrown) });
    }
  });
}

function emit(value) {
  fs.writeFileSync(process.env.COMPAT_RESULT, JSON.stringify(value));
}

const AsyncFunction = (async () => {}).constructor;
// $COMPAT_SNIPPET instead of standard input when stdin is a terminal the client itself reads.
const source = process.env.COMPAT_SNIPPET || fs.readFileSync(0, 'utf8');
const snippet = new AsyncFunction('call', 'emit', 'g', source);
// The client keeps connections alive (forever: true), so the process ends explicitly.
snippet(call, emit, g).then(
  () => process.exit(0),
  (failure) => {
    console.error((failure && failure.stack) || String(failure));
    process.exit(1);
  },
);
