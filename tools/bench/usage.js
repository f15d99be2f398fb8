// Preloaded into each process `npm run bench` measures: on exit, writes its CPU time and peak memory (with that of
// any child still running, from /proc/<pid>/status VmHWM, proc(5)) to the file REFARCH_BENCH_REPORT names.
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
