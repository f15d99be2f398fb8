// The project's program plus one generated password exported as a secret. The program itself exports no secret
// (Aurora's master password lives in Secrets Manager), yet the plan tool must still mask whatever Pulumi marks secret.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import program = require("../../src/index");

export = async () => {
    const outputs = await program();
    const password = new random.RandomPassword("app-password", { length: 24, special: false });
    return { ...outputs, appPassword: pulumi.secret(password.result) };
};
