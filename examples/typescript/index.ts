// StepScaledEcsService from TypeScript, with the dev stack's scaling (Pulumi.dev.yaml) written as bands.
// First: `pulumi package add ../../Components/StepScaledEcs.Provider` (or the repository's git URL at a release
// tag); it generates the SDK and adds it to package.json under the name it prints.
import * as aws from "@pulumi/aws";
import * as stepScaledEcs from "@pulumi/step-scaled-ecs";

const vpc = aws.ec2.getVpcOutput({ default: true });
const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] });
// Container Insights on: the alerts read its metrics.
const cluster = new aws.ecs.Cluster("cluster", { settings: [{ name: "containerInsights", value: "enabled" }] });

// What the service sits beside; each output goes into the component as it is (inputs, checked when they resolve).
const alerts = new aws.sns.Topic("alerts");
const apiKey = new aws.secretsmanager.Secret("api-key");
const uploads = new aws.s3.Bucket("uploads");
const uploadsPolicy = new aws.iam.Policy("uploads-rw", {
    policy: uploads.arn.apply(arn => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${arn}/*` }],
    })),
});

const web = new stepScaledEcs.StepScaledEcsService("web", {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    subnets: subnets.ids,
    clusterHasContainerInsights: true,
    service: {
        name: "web",
        cpu: 256,
        memory: 512,
        // The default VPC has no NAT gateway: tasks need a public IP to pull their image.
        assignPublicIp: true,
        environment: { UPLOAD_BUCKET: uploads.bucket },
        secrets: { API_KEY: apiKey.arn },
    },
    taskRolePolicyArns: [uploadsPolicy.arn],
    alerts: { topicArn: alerts.arn },
    scaling: {
        minCapacity: 1,
        maxCapacity: 4,
        policies: [
            {
                name: "memory",
                metric: { kind: "ecs", name: "MemoryUtilization" },
                scaleOut: {
                    bands: [
                        { from: 10, to: 20, change: 1 },
                        { from: 20, to: 35, change: 2 },
                        { from: 35, change: 3 },
                    ],
                },
                // A scale-in threshold well below the scale-out one: the dev stack's 10 % on both sides loops.
                scaleIn: { bands: [{ to: 4, change: -1 }] },
            },
        ],
    },
    tags: { team: "platform" },
});

export const serviceName = web.serviceName;
export const scalingSummary = web.scalingSummary;
export const alarmNames = web.alarmNames;
