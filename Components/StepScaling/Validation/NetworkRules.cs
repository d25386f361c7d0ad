using System.Collections.Immutable;

namespace StepScaling.Validation;

/// <summary>The rules of the network section and of how the service reaches it.</summary>
public static class NetworkRules
{
    /// <summary>The default VPC has public subnets and no NAT gateway (VPC User Guide, "Default VPCs"): a task without a public IP cannot reach ECR.</summary>
    public static readonly Rule DefaultVpcWithoutPublicIp = new("network.default-vpc-no-public-ip", Severity.Warning, "service.assignPublicIp", "false in the default VPC, which has no NAT gateway: tasks cannot pull their image", "VPC User Guide, \"Default VPCs\"");

    /// <summary>Keys that shape a VPC the stack creates mean nothing when it uses the default VPC.</summary>
    public static readonly Rule OwnVpcKeyIgnored = new("network.own-vpc-key-ignored", Severity.Warning, "network.vpcCidr, network.natGateways", "set while network.useDefaultVpc is true, so no VPC is created and they are ignored", "the tool: only a VPC it creates reads them");

    /// <summary>The section's catalogued rules.</summary>
    public static ImmutableArray<Rule> Catalogue { get; } = [DefaultVpcWithoutPublicIp, OwnVpcKeyIgnored];

    /// <summary>The CIDR block of a VPC the stack creates (<see cref="AwsRules.CheckVpcCidr"/>).</summary>
    public static void CheckVpcCidr(string cidr, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (AwsRules.CheckVpcCidr(cidr) is { } cidrMessage)
        {
            bag.Error("network.vpcCidr", cidrMessage);
        }
    }

    /// <summary>The warning when tasks in the default VPC get no public IP.</summary>
    public static void CheckPublicIp(bool useDefaultVpc, bool assignPublicIp, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        if (useDefaultVpc && !assignPublicIp)
        {
            bag.Warning(DefaultVpcWithoutPublicIp, "service.assignPublicIp", "is false while network.useDefaultVpc is true: the default VPC has no NAT gateway, so tasks without a public IP cannot pull their image");
        }
    }

    /// <summary>The warning for a key of an own VPC given while the default VPC is used.</summary>
    public static void IgnoredOwnVpcKey(string path, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(bag);
        bag.Warning(OwnVpcKeyIgnored, path, "is ignored: network.useDefaultVpc is true, so no VPC is created; remove it or set useDefaultVpc: false");
    }
}
