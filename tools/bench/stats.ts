import * as os from "os";

export const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The machine is shared: every report says how busy it was. */
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
