using System.Text.Json;
using Pulumi;
using Aws = Pulumi.Aws;
using Awsx = Pulumi.Awsx;

namespace StepScaledEcs.ConsumerTests;

/// <summary>
/// The program of issue 14 as a new user writes it: what an ECS service normally sits beside — an SNS topic for
/// alerts, a Secrets Manager secret, an S3 bucket whose name goes into an environment variable, a KMS key for the
/// logs (and one for the secret), a task-role policy, the application's image built and pushed with awsx, and an
/// ALB whose target group the service scales on (ALBRequestCountPerTarget) — each handed to the component as the
/// output it is. Nothing is created inside an Apply.
/// </summary>
public static class ConsumerProgram
{
    /// <summary>The component's logical name.</summary>
    public const string Name = "web";

    /// <summary>The physical name of the ECR repository the image is pushed to.</summary>
    public const string RepositoryName = "web-app";

    /// <summary>Builds the stack and returns its outputs, as a <c>Deployment.RunAsync</c> body does.</summary>
    public static IDictionary<string, object?> Run()
    {
        var alerts = new Aws.Sns.Topic("alerts");
        var secretsKey = new Aws.Kms.Key("secrets-key", new Aws.Kms.KeyArgs { EnableKeyRotation = true, Description = "Secrets of the web service" });
        var dbPassword = new Aws.SecretsManager.Secret("db-password", new Aws.SecretsManager.SecretArgs { KmsKeyId = secretsKey.Arn });
        var uploads = new Aws.S3.Bucket("uploads");
        var logsKey = new Aws.Kms.Key("logs-key", new Aws.Kms.KeyArgs { EnableKeyRotation = true, Description = "Logs of the web service" });
        var uploadsPolicy = new Aws.Iam.Policy("uploads-rw", new Aws.Iam.PolicyArgs
        {
            PolicyDocument = uploads.Arn.Apply(arn => JsonSerializer.Serialize(new
            {
                Version = "2012-10-17",
                Statement = new[] { new { Effect = "Allow", Action = new[] { "s3:GetObject", "s3:PutObject" }, Resource = $"{arn}/*" } },
            })),
        });

        // The application's own image: built from its Dockerfile and pushed; the service runs it by digest.
        var repository = new Aws.Ecr.Repository("app", new Aws.Ecr.RepositoryArgs { Name = RepositoryName, ImageTagMutability = "IMMUTABLE" });
        var image = new Awsx.Ecr.Image("app", new Awsx.Ecr.ImageArgs { RepositoryUrl = repository.RepositoryUrl, Context = "./app", Platform = "linux/amd64" });

        // The load balancer in front of the service, in the same program.
        var alb = new Aws.LB.LoadBalancer("alb", new Aws.LB.LoadBalancerArgs { LoadBalancerType = "application", Subnets = { "subnet-public-a", "subnet-public-b" } });
        var targetGroup = new Aws.LB.TargetGroup("web", new Aws.LB.TargetGroupArgs { Port = 8080, Protocol = "HTTP", TargetType = "ip", VpcId = "vpc-0123456789abcdef0" });
        _ = new Aws.LB.Listener("http", new Aws.LB.ListenerArgs
        {
            LoadBalancerArn = alb.Arn,
            Port = 80,
            Protocol = "HTTP",
            DefaultActions = { new Aws.LB.Inputs.ListenerDefaultActionArgs { Type = "forward", TargetGroupArn = targetGroup.Arn } },
        });
        var cluster = new Aws.Ecs.Cluster("cluster", new Aws.Ecs.ClusterArgs
        {
            Settings = { new Aws.Ecs.Inputs.ClusterSettingArgs { Name = "containerInsights", Value = "enabled" } },
        });

        var service = new StepScaledEcsService(Name, new StepScaledEcsServiceArgs
        {
            ClusterArn = cluster.Arn,
            ClusterName = cluster.Name,
            Subnets = new InputList<string> { "subnet-private-a", "subnet-private-b" },
            LoadBalancer = new LoadBalancerAttachmentArgs { TargetGroupArn = targetGroup.Arn, TargetGroupArnSuffix = targetGroup.ArnSuffix },
            ClusterHasContainerInsights = true,
            Service = new ServiceArgs
            {
                Name = Name,
                Image = image.ImageUri,
                Environment = { { "UPLOAD_BUCKET", uploads.BucketName }, { "LOG_LEVEL", "info" } },
                Secrets = { { "DB_PASSWORD", dbPassword.Arn } },
                SecretsKmsKeyArns = { secretsKey.Arn },
                LogKmsKeyArn = logsKey.Arn,
            },
            TaskRolePolicyArns = { uploadsPolicy.Arn },
            Scaling = new ScalingArgs
            {
                MinCapacity = 2,
                MaxCapacity = 10,
                Policies =
                [
                    new PolicyArgs
                    {
                        Name = "requests",
                        Metric = new MetricArgs { Kind = "albRequestCountPerTarget", TargetGroup = targetGroup.ArnSuffix },
                        ScaleOut = new SideArgs { Bands = [new BandArgs { From = 1000, To = 2000, Change = 1 }, new BandArgs { From = 2000, Change = 3 }] },
                        ScaleIn = new SideArgs { Bands = [new BandArgs { To = 200, Change = -1 }], Cooldown = 300 },
                    },
                ],
            },
            Alerts = new AlertsArgs { TopicArn = alerts.Arn },
        });

        return new Dictionary<string, object?>
        {
            ["serviceName"] = service.ServiceName,
            ["scalingSummary"] = service.ScalingSummary,
            ["alarmNames"] = service.AlarmNames,
        };
    }
}
