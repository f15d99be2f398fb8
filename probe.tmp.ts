import { decide } from "./src/security/simulator";
const bucket = "arn:aws:s3:::b";
const policy: any = { Version: "2012-10-17", Statement: [
 { Sid: "W", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: bucket + "/AWSLogs/*" },
 { Sid: "D", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: bucket + "/*", Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } } },
 { Sid: "E", Effect: "Deny", Principal: "*", Action: "s3:PutBucketPolicy", Resource: bucket, Condition: { ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/x-audit-deployer" } } },
]};
const CTX: any = {};
const ADMIN: any = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
(async () => { for (const c of [{}, {"aws:PrincipalIsAWSService":"true"}]) { Object.assign(CTX, c); console.log(c);
 console.log("svc put", await decide({ principal: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: bucket + "/AWSLogs/1/x", resourceAccount: "111111111111", resourcePolicy: policy, context: CTX }));
 console.log("role put", await decide({ principal: "arn:aws:iam::111111111111:role/admin", action: "s3:PutObject", resource: bucket + "/AWSLogs/1/x", resourceAccount: "111111111111", identityPolicies: [ADMIN], resourcePolicy: policy, context: CTX }));
 console.log("deployer pol", await decide({ principal: "arn:aws:iam::111111111111:role/x-audit-deployer", action: "s3:PutBucketPolicy", resource: bucket, resourceAccount: "111111111111", identityPolicies: [ADMIN], resourcePolicy: policy, context: CTX }));
 console.log("admin pol", await decide({ principal: "arn:aws:iam::111111111111:role/admin", action: "s3:PutBucketPolicy", resource: bucket, resourceAccount: "111111111111", identityPolicies: [ADMIN], resourcePolicy: policy, context: CTX }));
}})();
