// Validates OpenActive RPDE feeds with @openactive/data-model-validator (the
// items) and @openactive/rpde-validator (the paging), offline: the validator's remote-JSON cache is laid out in a fresh folder
// from the shared offline copies of the OpenActive vocabularies (see
// ../shared/data/standards/README.md §1.2), plus the site's own activity list
// fetched from the site itself, so the validator never fetches anything.
//
// Usage (scripts/validate-openactive.sh runs it):
//   node validate.cjs --standards DIR --cache DIR [--pages N] URL...
// Each page is validated whole (the validator walks its items). Exit status:
// 0 when nothing fails, 1 otherwise, 2 on a usage or fetch error. Failures
// are listed; warnings, notices and suggestions are counted by kind. The one
// failure accepted is use_official_activity_list on an activity of the site's
// own list (see ownActivity).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { validate } = require('@openactive/data-model-validator');
const { RpdeValidator } = require('@openactive/rpde-validator');

const OPENACTIVE_LIST = 'https://openactive.io/activity-list';
const TTL_SECONDS = 10 * 365 * 24 * 3600;

function parseArgs(argv) {
  const out = { pages: 1, urls: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--standards') out.standards = argv[++i];
    else if (a === '--cache') out.cache = argv[++i];
    else if (a === '--pages') out.pages = Number(argv[++i]);
    else out.urls.push(a);
  }
  if (!out.standards || !out.cache || out.urls.length === 0 || !(out.pages >= 1)) {
    console.error('usage: validate.cjs --standards DIR --cache DIR [--pages N] URL...');
    process.exit(2);
  }
  return out;
}

const cacheFile = (dir, url) => path.join(dir, `${crypto.createHash('sha256').update(url).digest('hex')}.json`);

function cacheEntry(dir, url, data) {
  fs.writeFileSync(cacheFile(dir, url), JSON.stringify({
    errorCode: 'error_none', data, statusCode: 200, url, exception: null,
    contentType: 'application/ld+json', fetchTime: Date.now(),
  }));
}

// The shared vocabularies, each under the file name url-map.json gives.
function layCache(standards, dir) {
  const vocab = path.join(standards, 'openactive', 'vocab');
  const map = JSON.parse(fs.readFileSync(path.join(vocab, 'url-map.json'), 'utf8'));
  for (const f of map.files) {
    const data = JSON.parse(fs.readFileSync(path.join(vocab, f.file), 'utf8'));
    cacheEntry(dir, f.url, data);
    if (cacheFile(dir, f.url) !== path.join(dir, f.validatorCacheFile)) {
      throw new Error(`cache file name of ${f.url} is not the one url-map.json gives`);
    }
  }
}

async function getJSON(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

// Activity lists other than OpenActive's that items name in inScheme: the
// site's own list, fetched from the site and put in the cache.
async function cacheOwnLists(items, dir, done) {
  for (const item of items) {
    for (const a of (item.data && item.data.activity) || []) {
      const list = a.inScheme;
      if (list && list !== OPENACTIVE_LIST && !done.has(list)) {
        done.add(list);
        cacheEntry(dir, list, await getJSON(list));
      }
    }
  }
}

// ownActivity reports whether a failure is use_official_activity_list for an
// activity of the site's own list: youthhub names sessions that are not
// physical activity (music, cooking, advice...) with its own concepts, which
// the validator reports as failures; they are accepted, and listed.
function ownActivity(page, e) {
  const m = /^\$\.items\[(\d+)\]\.data\.activity\[(\d+)\]$/.exec(e.path || '');
  if (e.type !== 'use_official_activity_list' || !m) return false;
  const item = page.items[Number(m[1])];
  const concept = item && item.data && item.data.activity && item.data.activity[Number(m[2])];
  return Boolean(concept && concept.inScheme && concept.inScheme !== OPENACTIVE_LIST
    && new URL(concept.inScheme).origin === new URL(page.next).origin);
}

const options = (dir) => ({ loadRemoteJson: true, remoteJsonCachePath: dir, remoteJsonCacheTimeToLive: TTL_SECONDS });

async function main() {
  const args = parseArgs(process.argv.slice(2));
  layCache(args.standards, args.cache);
  const ownLists = new Set();
  let failures = 0;
  let accepted = 0;
  let checked = 0;
  for (const start of args.urls) {
    let url = start;
    for (let p = 0; p < args.pages; p += 1) {
      const page = await getJSON(url);
      const items = page.items || [];
      if (items.length === 0) {
        // The last page: nothing to validate (the validator would also
        // object to the empty items array that RPDE requires).
        console.log(`${url}: last page`);
        break;
      }
      await cacheOwnLists(items, args.cache, ownLists);
      const errors = await validate(page, options(args.cache));
      const counts = {};
      for (const e of errors) {
        if (e.severity === 'failure' && ownActivity(page, e)) {
          accepted += 1;
          console.log(`ACCEPTED ${e.path}: ${e.type}: an activity of the site's own list (no OpenActive activity fits)`);
        } else if (e.severity === 'failure') {
          failures += 1;
          console.log(`FAILURE ${e.path}: ${e.type}: ${String(e.message).split('\n')[0]}`);
        } else {
          const key = `${e.severity} ${e.type} ${String(e.path).replace(/\[\d+\]/g, '[]')}`;
          counts[key] = (counts[key] || 0) + 1;
        }
      }
      for (const [key, n] of Object.entries(counts).sort()) console.log(`  ${n} × ${key}`);
      checked += items.filter((it) => it.data).length;
      console.log(`${url}: ${items.length} items checked`);
      if (items.length === 0 || page.next === url) break;
      url = page.next;
    }
  }
  // The RPDE validator walks each feed itself (paging, next URLs, the last
  // page, HTTP headers); it needs no cache. It reports a missing_cache_control
  // warning on the empty last page whatever its max-age (it applies the
  // full-page rule before it knows the page is the last).
  for (const start of args.urls) {
    const log = await RpdeValidator(start, { pageLimit: args.pages + 1, timeoutMs: 30000, logCallback: () => {} });
    const errors = [...(log.errors || []), ...log.pages.flatMap((p) => p.errors)].map((e) => e.data || e);
    const counts = {};
    for (const e of errors) {
      if (e.severity === 'failure') {
        failures += 1;
        console.log(`FAILURE rpde ${e.url}: ${e.type}: ${String(e.message).split('\n')[0]}`);
      } else {
        counts[`${e.severity} ${e.type}`] = (counts[`${e.severity} ${e.type}`] || 0) + 1;
      }
    }
    for (const [key, n] of Object.entries(counts).sort()) console.log(`  ${n} × rpde ${key}`);
    console.log(`${start}: RPDE walk of ${log.pages.length} pages, ${errors.filter((e) => e.severity === 'failure').length} failures`);
  }
  // The validator writes what it fetched into the cache: every entry must
  // still be the one laid out, so nothing was fetched.
  for (const f of fs.readdirSync(args.cache)) {
    const entry = JSON.parse(fs.readFileSync(path.join(args.cache, f), 'utf8'));
    if (entry.errorCode !== 'error_none') {
      console.log(`FAILURE the validator tried to fetch ${entry.url} (${entry.errorCode})`);
      failures += 1;
    }
  }
  console.log(`${checked} items validated: ${failures} failures, ${accepted} accepted`);
  process.exit(failures > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(2);
});
