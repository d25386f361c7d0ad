using System.Buffers.Binary;
using StepScale.Cli;
using StepScaling.Config;
using StepScaling.Simulation;

namespace StepScale.Tests;

/// <summary>What the charts mark: reversals as the simulator counts flaps, a zoom panel only where there are events.</summary>
public sealed class ChartTests : CliTest
{
    private static readonly string[] Samples = ["steady", "spike", "diurnal", "bursty"];

    [Test]
    public void IsReversal_EveryStackOnEverySample_CountsTheSimulatorsFlaps()
    {
        foreach (var stack in new[] { Repo.DevStack, Repo.ProdStack })
        {
            var spec = StackInput.PlanOf(StackFile.Load(stack)).Scaling!;
            foreach (var sample in Samples)
            {
                var result = Simulator.Run(spec, SampleTraces.Generate(sample), new SimulationOptions());

                var reversals = Enumerable.Range(0, result.Events.Length).Count(i => ChartKit.IsReversal(result.Events, i));

                Assert.That(reversals, Is.EqualTo(result.Summary.Flaps), $"{Path.GetFileName(stack)} on {sample}");
            }
        }
    }

    [TestCase("steady", Chart.Height)]
    [TestCase("spike", Chart.Height + Chart.ZoomHeight)]
    public void Simulate_ProdChart_ZoomPanelOnlyWhenThereAreScaleEvents(string sample, int height)
    {
        var png = Path.Combine(Dir, "prod.png");

        var result = Run("simulate", Repo.ProdStack, "--sample", sample, "--chart", png);

        Assert.That(result.Exit, Is.EqualTo(0), result.ToString());
        var header = File.ReadAllBytes(png).AsSpan(16, 8);
        Assert.That((BinaryPrimitives.ReadInt32BigEndian(header[..4]), BinaryPrimitives.ReadInt32BigEndian(header[4..])), Is.EqualTo((Chart.Width, height)));
    }

    [Test]
    public void SameSeries_CpuAndMemoryOnProd_ReadTheSame()
    {
        var spec = StackInput.PlanOf(StackFile.Load(Repo.ProdStack)).Scaling!;
        var result = Simulator.Run(spec, SampleTraces.Generate("bursty"), new SimulationOptions());
        var cpu = spec.Policies.IndexOf(spec.Policies.First(p => p.Metric.DisplayName == "CPUUtilization"));
        var memory = spec.Policies.IndexOf(spec.Policies.First(p => p.Metric.DisplayName == "MemoryUtilization"));

        Assert.That(ChartKit.SameSeries(result.Metric[cpu], result.Metric[memory]), Is.True, "prod's CPU and memory read one demand");
        Assert.That(ChartKit.SameSeries(result.Metric[cpu], [.. result.Metric[memory].Select(v => v + 1)]), Is.False);
    }
}
