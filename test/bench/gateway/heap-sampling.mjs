// Loaded with `--import` into a process under test: the first SIGWINCH starts V8's sampling
// heap profiler (every allocation site, objects since collected by minor or major GC
// included), the second writes the profile to $BASCULE_BENCH_HEAP_OUT. With
// BASCULE_BENCH_HEAP_PROMOTED=1 objects that died young are left out: what remains survived a
// scavenge (promoted to the old generation, or still live at the end).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const out = process.env.BASCULE_BENCH_HEAP_OUT;
const promotedOnly = process.env.BASCULE_BENCH_HEAP_PROMOTED === '1';
const session = new Session();
session.connect();
let sampling = false;
process.on('SIGWINCH', () => {
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.enable', () =>
      session.post('HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMinorGC: !promotedOnly,
        includeObjectsCollectedByMajorGC: true,
      }),
    );
    return;
  }
  session.post('HeapProfiler.stopSampling', (err, r) => {
    if (err || !out) return;
    writeFileSync(out, JSON.stringify(r.profile));
  });
});
