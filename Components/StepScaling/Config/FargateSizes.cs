namespace StepScaling.Config;

/// <summary>
/// Valid Fargate CPU and memory pairs, from the AWS page "Amazon ECS task definition parameters for Fargate"
/// (section "Task size"; Linux platform).
/// </summary>
public static class FargateSizes
{
    private static readonly (int Cpu, int MinMemory, int MaxMemory, int Step)[] Table =
    [
        (256, 512, 2048, 0),       // 512, 1024, 2048
        (512, 1024, 4096, 1024),
        (1024, 2048, 8192, 1024),
        (2048, 4096, 16384, 1024),
        (4096, 8192, 30720, 1024),
        (8192, 16384, 61440, 4096),
        (16384, 32768, 122880, 8192),
    ];

    /// <summary>The CPU values Fargate accepts.</summary>
    public static IEnumerable<int> CpuValues => Table.Select(t => t.Cpu);

    /// <summary>Whether <paramref name="cpu"/> is a Fargate CPU value.</summary>
    public static bool IsValidCpu(int cpu) => Table.Any(t => t.Cpu == cpu);

    /// <summary>Whether the pair is valid.</summary>
    public static bool IsValid(int cpu, int memory) => MemoryFor(cpu).Contains(memory);

    /// <summary>The memory sizes allowed with <paramref name="cpu"/>.</summary>
    public static IReadOnlyList<int> MemoryFor(int cpu)
    {
        foreach (var (c, min, max, step) in Table)
        {
            if (c == cpu)
            {
                return step == 0 ? [512, 1024, 2048] : [.. Enumerable.Range(0, ((max - min) / step) + 1).Select(i => min + (i * step))];
            }
        }

        return [];
    }

    /// <summary>The allowed memory for <paramref name="cpu"/> in words, e.g. <c>1024 to 4096 in steps of 1024</c>.</summary>
    public static string DescribeMemory(int cpu)
    {
        foreach (var (c, min, max, step) in Table)
        {
            if (c == cpu)
            {
                return step == 0 ? "512, 1024 or 2048" : $"{min} to {max} in steps of {step}";
            }
        }

        return "none";
    }
}
