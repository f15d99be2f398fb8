// What the orchestrator needs from Pulumi: run one operation on one stack and report its engine events.
// `LocalDeployWorkspace` does that with the Automation API over this project's directory (the Pulumi CLI
// must be on PATH); tests inject a fake.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import type { Operation } from "./args";

export type { EngineEvent };

export interface RunStackOptions {
    /** Policy pack directories the operation runs (up and preview only). */
    policyPacks?: string[];
}

export interface DeployWorkspace {
    /** Runs `operation` on `stack`, calling onEvent for each engine event; rejects if the operation fails. */
    run(stack: string, operation: Operation, onEvent: (event: EngineEvent) => void, options?: RunStackOptions): Promise<void>;
}

export class LocalDeployWorkspace implements DeployWorkspace {
    constructor(private readonly workDir: string) {}

    async run(stack: string, operation: Operation, onEvent: (event: EngineEvent) => void, { policyPacks }: RunStackOptions = {}): Promise<void> {
        // Loaded only here, after the caller has checked that the CLI is on PATH.
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const selected = await LocalWorkspace.selectStack({ stackName: stack, workDir: this.workDir });
        const options = { onEvent, color: "never" as const };
        // UpOptions and PreviewOptions take policyPacks, as `pulumi up --policy-pack` (@pulumi/pulumi automation/stack.d.ts).
        const checked = policyPacks && policyPacks.length > 0 ? { ...options, policyPacks } : options;
        switch (operation) {
            case "up":
                await selected.up(checked);
                return;
            case "preview":
                await selected.preview(checked);
                return;
            case "refresh":
                await selected.refresh(options);
                return;
            case "destroy":
                await selected.destroy(options);
                return;
        }
    }
}

/** The Pulumi CLI on PATH, or undefined: checked before the Automation API is touched, which would fail obscurely without it. */
export function findPulumiCli(pathVariable = process.env.PATH ?? "", exists: (file: string) => boolean = isExecutable): string | undefined {
    const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
    for (const dir of pathVariable.split(path.delimiter).filter((d) => d !== "")) {
        for (const name of names) {
            const file = path.join(dir, name);
            if (exists(file)) return file;
        }
    }
    return undefined;
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

export const INSTALL_GUIDANCE = [
    "The Pulumi CLI is not on PATH; npm run deploy drives it through the Automation API.",
    "Install it, then open a new shell (or add ~/.pulumi/bin to PATH):",
    "  curl -fsSL https://get.pulumi.com | sh        # Linux, macOS",
    "  brew install pulumi/tap/pulumi                # macOS with Homebrew",
    "  choco install pulumi                          # Windows",
    "See https://www.pulumi.com/docs/install/ ; then pulumi login, and run this again.",
].join("\n");
