// StepScaledEcsService from TypeScript, with the dev stack's scaling (Pulumi.dev.yaml) written as bands.
// First: `pulumi package add ../../Components/StepScaledEcs.Provider` (or the repository's git URL at a release
// tag); it generates the SDK and adds it to package.json under the name it prints.
import * as aws from "@pulumi/aws";
import * as stepScaledEcs from "@pulumi/step-scaled-ecs";

const vpc = aws.ec2.getVpcOutput({ default: true });
const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] });
const cluster = new aws.ecs.Cluster("cluster");

const web = new stepScaledEcs.StepScaledEcsService("web", {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    subnets: subnets.ids,
    service: {
        name: "web",
        cpu: 256,
        memory: 512,
        // The default VPC has no NAT gateway: tasks need a public IP to pull their image.
        assignPublicIp: true,
    },
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
