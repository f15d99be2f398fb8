// Preloaded into each process `npm run bench` measures: on exit, writes the process's own CPU time and
// peak resident memory to the file REFARCH_BENCH_REPORT names. Does nothing when that is unset.
import * as fs from "fs";

const report = process.env.REFARCH_BENCH_REPORT;
if (report) {
    process.on("exit", () => {
        const usage = process.resourceUsage();
        fs.writeFileSync(report, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS }));
    });
}
