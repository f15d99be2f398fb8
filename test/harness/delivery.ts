// The delivery matrix of an organization (src/security/deliveryMatrix.ts), as the tests decide it: its stacks as the
// targets, its accounts, and the GitHub repository, Pulumi organization and branch its config names.
import { githubSubjectPrefixOf } from "../../src/components/deployer";
import { RefarchConfig, validateConfig } from "../../src/config";
import { stackConfig } from "../../src/project";
import { DeliveryCell, deliveryMatrix, DeliverySetting, threatModelTable } from "../../src/security/deliveryMatrix";
import { oncePerMutant } from "../oncePerMutant";
import { Organization, ROOT } from "./organization";

/** A stack's validated config, as the program gets it under this organization's Pulumi organization. */
export function configOf(o: Organization, stack: string): RefarchConfig {
    return validateConfig({ organization: o.organization, project: o.project.name, stack, values: stackConfig(o.project, stack) });
}

/** The stacks an identity may name: each stage's own stack (never a review stack), the org stack included. */
export const deliveryTargets = (o: Organization): string[] => o.stacks.filter((s) => o.stageOf(s) === s);
/** The accounts, by the stage that owns each. */
export const deliveryStages = (o: Organization): string[] => [...new Set(deliveryTargets(o).map((s) => o.identityOf(s)))];

export function deliverySettingOf(o: Organization, config: RefarchConfig): DeliverySetting {
    return {
        githubPrefix: githubSubjectPrefixOf(config.deployer),
        organization: config.organization,
        project: config.project,
        branch: config.deployments.branch,
        reviewStacks: config.deployer.reviewStacks,
        partition: config.partition,
        rootAccountId: o.accountOf(ROOT),
    };
}

const matrices = new WeakMap<Organization, () => Promise<DeliveryCell[]>>();
/** Every cell of the organization's matrix, decided over its plan once per run (and once per mutant). */
export function deliveryMatrixOf(o: Organization): Promise<DeliveryCell[]> {
    let cells = matrices.get(o);
    if (!cells) {
        cells = oncePerMutant(async () => {
            const evaluations = [...(await o.evaluations()).values()];
            for (const e of evaluations) if (e.error) throw e.error;
            const targets = deliveryTargets(o);
            return deliveryMatrix(evaluations, deliverySettingOf(o, configOf(o, targets[0])), o.namespace, targets, deliveryStages(o));
        });
        matrices.set(o, cells);
    }
    return cells();
}

/** README's "Security model" table for the organization: its matrix, summarized. */
export const threatModelOf = async (o: Organization): Promise<string> => threatModelTable(await deliveryMatrixOf(o), deliveryTargets(o), (t) => o.identityOf(t));
