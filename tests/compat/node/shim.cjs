'use strict';
// Preloaded (node -r ./shim.cjs) before the published gpueater 1.5.3, so it runs on Node 20.
//
// 1. Its login hands the Set-Cookie ARRAY to fs.writeFileSync. Node 13 and older turned any
//    such value into a string (String(value)); Node 14+ throws ERR_INVALID_ARG_TYPE. This
//    restores that coercion for arrays only, so the client behaves as it did when published.
// 2. A safety net for the suite: when the client's start-up probe of GPUEATER_URL (`curl -s`)
//    fails it silently falls back to the real service. Every host name but localhost is
//    refused here, so a test can never reach a real account.
const fs = require('fs');
const dns = require('dns');

const writeFileSync = fs.writeFileSync;
fs.writeFileSync = function (file, data, ...rest) {
  return writeFileSync.call(this, file, Array.isArray(data) ? String(data) : data, ...rest);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (hostname !== 'localhost') {
    throw new Error(`compat shim: refusing to resolve ${hostname}; the suite talks to loopback only`);
  }
  return lookup.call(this, hostname, ...rest);
};
