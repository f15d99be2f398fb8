// The floor `npm run bench` measures `npm start` against: one bucket under Pulumi's mocks, the same SDK and provider,
// plain JavaScript so no TypeScript loader is in it. Mocks as https://www.pulumi.com/docs/iac/guides/testing/unit/
// shows them; prints what it registered, so a floor that registered nothing cannot pass.
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
