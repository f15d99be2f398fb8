// Preloaded into each process `npm run bench` measures: on exit, writes the process's own CPU time and peak
// resident memory to the file REFARCH_BENCH_REPORT names. Does nothing when that is unset. Plain JavaScript, so
// the floor needs no TypeScript loader to carry it.
// Peak memory adds the peak of each helper process still running at exit (esbuild's service, when
// src/plan/register.js had a file to transpile), read from Linux's /proc/<pid>/status VmHWM (proc(5)).
"use strict";
const fs = require("fs");

function helpersPeakKb() {
    let total = 0;
    let entries;
    try {
        entries = fs.readdirSync("/proc");
    } catch {
        return 0; // Not Linux: the process's own peak only.
    }
    for (const pid of entries.filter((e) => /^\d+$/.test(e))) {
        try {
            const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
            if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
            total += Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
        } catch {
            // Gone between the listing and the read.
        }
    }
    return total;
}

const report = process.env.REFARCH_BENCH_REPORT;
if (report) {
    process.on("exit", () => {
        const usage = process.resourceUsage();
        const helpersKb = helpersPeakKb();
        fs.writeFileSync(report, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS + helpersKb, helpersKb }));
    });
}
