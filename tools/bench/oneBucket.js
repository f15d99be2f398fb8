// The floor `npm run bench` measures `npm start` against: a bare one-bucket Pulumi program under Pulumi's mock
// runtime, as a plain script. The same @pulumi/pulumi and @pulumi/aws as the project, and nothing else: no plan
// CLI, no offline engine, no IAM simulator, and no TypeScript loader (plain JavaScript, so whatever the project
// pays to load its TypeScript counts against `npm start`, not in the floor). The mocks are the smallest Pulumi's
// unit-testing guide shows (https://www.pulumi.com/docs/iac/guides/testing/unit/): a resource's state is its inputs.
// Prints the registered resource types and the bucket's name, so a floor that registered nothing cannot pass.
"use strict";
const pulumi = require("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push(args.type);
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
    },
    "one-bucket",
    "bench",
    false,
);
pulumi.runtime.setAllConfig({ "aws:region": "us-east-1" });

// Loaded after the mocks are set, as the guide does, so the SDK registers against the mock monitor.
const aws = require("@pulumi/aws");
const bucket = new aws.s3.Bucket("bucket", { bucket: "one-bucket-bench" });
bucket.bucket.apply((name) => {
    process.stdout.write(`${JSON.stringify({ registered, bucket: name })}\n`);
});
