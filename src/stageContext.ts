// What a table entry of src/stages.ts is: a function of the stage context that builds its components and returns the
// stack outputs they add, and may read other stages' outputs first. Apart from the table so entries can live in files of
// their own (src/auditTrails.ts) without an import cycle.
import * as pulumi from "@pulumi/pulumi";
import type { RefarchConfig } from "./config";
import type { AccountOutputs } from "./stageOutputs";

/** Reads one output of a stage by its typed name: from this stack if it is the stage itself, else through a StackReference. */
export type StageReader<O> = <K extends keyof O & string>(name: K) => pulumi.Output<pulumi.Unwrap<NonNullable<O[K]>>>;

export interface StageContext<O> {
    config: RefarchConfig;
    /** Options for every component: `protect` per `refarch:protect` and the stack's AWS provider, which children inherit. */
    componentOptions: pulumi.ComponentResourceOptions;
    /** The outputs this stack has produced so far: a component reads those of the components before it in the table. */
    outputs: Readonly<Partial<O>>;
    /** The outputs of a stage, whichever stack it is read from; every account stage has AccountOutputs. */
    stage<P = AccountOutputs>(stage: string): StageReader<P>;
    /** Reads one output of another stage now, as the table's `reads` do (with `optional`, undefined when the stack has none yet). */
    read: ReadOutput;
    /** Whether an output read with `optional` (a later read: src/project/stackGraph.ts laterReads) was there. */
    found(stage: string, name: string): boolean;
}

/**
 * Reads one output of another stage before anything is registered; fails naming the stage and the deploy order when it
 * is missing, unless `optional` (then undefined: a stage deployed after this one's first run).
 */
export type ReadOutput = (stage: string, name: string, optional?: boolean) => Promise<unknown>;

/**
 * A table entry: builds its component from the stage context and returns the stack outputs it adds. `reads` reads,
 * before any entry is built, every output of another stage the entry will read, so a stage deployed out of order
 * fails having registered nothing (issue 24).
 */
export type Component<O> = ((ctx: StageContext<O>) => Partial<O> | Promise<Partial<O>>) & { reads?: (config: RefarchConfig, read: ReadOutput) => Promise<void> };

/** A table entry that reads other stages' outputs, declared next to the component that uses them. */
export const reading = <O>(reads: NonNullable<Component<O>["reads"]>, build: Component<O>): Component<O> => Object.assign(build, { reads });

/** A stack named other than its stage (a review stack) shares that stage's account with the stage's own stack. */
export const isReviewStack = (config: RefarchConfig): boolean => config.stack !== config.stage;
