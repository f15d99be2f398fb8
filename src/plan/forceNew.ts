// Which inputs of each resource type this program creates cannot change in place: a change to one makes
// the provider replace the resource (a new one in AWS, the old one deleted), as `pulumi preview` shows it
// with `+-`. The offline diff reads this table, since there is no provider to ask.
//
// Taken from the providers' own schemas (the inputs marked ForceNew / RequiresReplace), read at
// github.com/hashicorp/terraform-provider-aws internal/service/<service>/<resource>.go, which
// @pulumi/aws bridges, and github.com/hashicorp/terraform-provider-random
// internal/provider/resource_password.go, which @pulumi/random bridges; Pulumi's names for them are the
// camelCase input names of @pulumi/aws 7.48 and @pulumi/random 4.21. aws:ec2/securityGroup is from
// @pulumi/aws ec2/securityGroup.d.ts ("name change forces new ... Likewise, description, namePrefix, or vpcId").
// An empty list means nothing this program can set forces a replacement (IAM users and groups are renamed
// in place by UpdateUser and UpdateGroup).
//
// A resource type missing here has no entry on purpose only if no test creates it: test/planTool.test.ts
// fails for any type the program creates that is missing, so a new component adds its row.

export const FORCE_NEW_INPUTS: Record<string, readonly string[]> = {
    // internal/service/iam
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:iam/policy:Policy": ["name", "namePrefix", "path", "description"],
    "aws:iam/user:User": [],
    "aws:iam/group:Group": [],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": ["group", "policyArn"],
    // internal/service/iam/role_policy.go: the role and the policy's name address it; the document updates in place.
    "aws:iam/rolePolicy:RolePolicy": ["role", "name", "namePrefix"],
    "aws:iam/userGroupMembership:UserGroupMembership": ["user"],
    // internal/service/iam/user_login_profile.go: every argument is ForceNew; the password is set only on create.
    "aws:iam/userLoginProfile:UserLoginProfile": ["user", "pgpKey", "passwordResetRequired", "passwordLength"],
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ["url"],
    "aws:iam/accountAlias:AccountAlias": ["accountAlias"],
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy": [],
    // internal/service/ec2/ebs_encryption_by_default.go, internal/service/accessanalyzer, internal/service/budgets
    "aws:ebs/encryptionByDefault:EncryptionByDefault": [],
    "aws:accessanalyzer/analyzer:Analyzer": ["analyzerName", "type", "configuration"],
    "aws:budgets/budget:Budget": ["accountId", "name", "namePrefix"],
    // internal/service/s3, internal/service/s3control/account_public_access_block.go
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": ["bucket", "expectedBucketOwner", "objectLockEnabled"],
    "aws:s3/bucketPolicy:BucketPolicy": ["bucket"],
    "aws:s3/bucketVersioning:BucketVersioning": ["bucket", "expectedBucketOwner"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["bucket"],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["bucket"],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ["bucket", "expectedBucketOwner"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["bucket", "expectedBucketOwner"],
    // internal/service/s3/bucket_logging.go: the target bucket, prefix and format update in place.
    "aws:s3/bucketLogging:BucketLogging": ["bucket", "expectedBucketOwner"],
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": ["accountId"],
    // internal/service/kms, internal/service/cloudtrail
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    "aws:kms/alias:Alias": ["name", "namePrefix"],
    "aws:cloudtrail/trail:Trail": ["name"],
    // internal/service/rds (backing-services/aurora-postgres)
    "aws:rds/cluster:Cluster": [
        "clusterIdentifier",
        "clusterIdentifierPrefix",
        "availabilityZones",
        "clusterScalabilityType",
        "databaseName",
        "dbSubnetGroupName",
        "dbSystemId",
        "engine",
        "engineMode",
        "kmsKeyId",
        "masterUsername",
        "snapshotIdentifier",
        "sourceRegion",
        "storageEncrypted",
    ],
    "aws:rds/clusterInstance:ClusterInstance": ["identifier", "identifierPrefix", "clusterIdentifier", "engine", "dbSubnetGroupName", "availabilityZone", "customIamInstanceProfile"],
    "aws:rds/subnetGroup:SubnetGroup": ["name", "namePrefix"],
    "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
    // Pulumi Cloud's deployment settings are addressed by organization/project/stack (the API path
    // /api/stacks/{org}/{project}/{stack}/deployments/settings): another of those is another stack's settings.
    "pulumiservice:index:DeploymentSettings": ["organization", "project", "stack"],
    // The provider's own replaceOnChanges (@pulumi/pulumiservice 1.3.0 oidcIssuer.js, team.js, teamStackPermission.js).
    "pulumiservice:index:OidcIssuer": ["organization", "url"],
    "pulumiservice:index:Team": ["name", "organizationName", "teamType"],
    "pulumiservice:index:TeamStackPermission": ["organization", "permission", "project", "stack", "team"],
    // random_id (internal/provider/resource_id.go) has no update: each of its inputs is RequiresReplace.
    "random:index/randomId:RandomId": ["keepers", "byteLength", "prefix"],
    "random:index/randomPassword:RandomPassword": ["keepers", "length", "special", "upper", "lower", "number", "numeric", "minNumeric", "minUpper", "minLower", "minSpecial", "overrideSpecial"],
    // internal/service/acm, internal/service/route53 (acm-cloudfront)
    "aws:acm/certificate:Certificate": ["domainName", "subjectAlternativeNames", "validationMethod", "validationOptions", "keyAlgorithm", "certificateAuthorityArn"],
    "aws:acm/certificateValidation:CertificateValidation": ["certificateArn", "validationRecordFqdns"],
    "aws:route53/record:Record": ["name", "zoneId"],
    // internal/service/organizations (the org stack). organization.go marks no input ForceNew; its CustomizeDiff
    // replaces only on featureSet ALL -> CONSOLIDATED_BILLING, and the program always sets ALL (the other way,
    // EnableAllFeatures, is in place). account.go: a new parent is a MoveAccount, in place.
    "aws:organizations/organization:Organization": [],
    "aws:organizations/organizationalUnit:OrganizationalUnit": ["parentId"],
    "aws:organizations/account:Account": ["email", "name", "roleName", "iamUserAccessToBilling"],
    "aws:organizations/policy:Policy": ["type"],
    // policy_attachment.go has no update: both of its inputs are ForceNew.
    "aws:organizations/policyAttachment:PolicyAttachment": ["policyId", "targetId"],
};
