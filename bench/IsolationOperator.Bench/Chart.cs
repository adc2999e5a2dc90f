using ScottPlot;

namespace IsolationOperator.Bench;

/// <summary>
/// One picture, two panels: Ready over time for the operator and the floor on the same axes, and RSS by tenants
/// against the chart's memory limit. ScottPlot 5 (MIT) renders through SkiaSharp with its own native build and
/// fonts, so it needs nothing installed on a headless Linux box.
/// </summary>
public static class Chart
{
    private const double ChartMemoryLimitMiB = 512; // charts/isolation-operator/values.yaml resources.limits.memory
    private const double ChartMemoryRequestMiB = 256; // resources.requests.memory

    public static void Save(BenchResult r, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var ready = multiplot.GetPlot(0);
        Series(ready, r.Operator, $"operator ({r.Operator.Seconds:0.0} s)", Colors.C0);
        Series(ready, r.Floor, $"floor: direct apply ({r.Floor.Seconds:0.0} s)", Colors.C1);
        ready.Title($"create → Ready, {r.Settings.Tenants} tenants, W={r.Settings.Workers} (ratio {r.Ratio:0.00})");
        ready.XLabel("seconds");
        ready.YLabel("tenants Ready");
        ready.Axes.SetLimitsY(0, r.Settings.Tenants * 1.05);
        ready.ShowLegend(Alignment.LowerRight);

        var rss = multiplot.GetPlot(1);
        var xs = r.Memory.Select(m => (double)m.Tenants).ToArray();
        var line = rss.Add.Scatter(xs, r.Memory.Select(m => m.RssMiB).ToArray());
        line.LegendText = "operator RSS (settled, 30 s idle)";
        line.MarkerSize = 8;
        var burst = rss.Add.Scatter(xs, r.Memory.Select(m => m.AfterWorkMiB).ToArray());
        burst.LegendText = "operator RSS (5 s after provisioning)";
        burst.MarkerSize = 6;
        burst.LinePattern = LinePattern.Dotted;
        var limit = rss.Add.HorizontalLine(ChartMemoryLimitMiB);
        limit.LegendText = "chart memory limit (512 MiB)";
        limit.LinePattern = LinePattern.Dashed;
        limit.Color = Colors.Red;
        var request = rss.Add.HorizontalLine(ChartMemoryRequestMiB);
        request.LegendText = "chart memory request (256 MiB)";
        request.LinePattern = LinePattern.Dotted;
        request.Color = Colors.Orange;
        rss.Title("operator memory by tenants");
        rss.XLabel("tenants");
        rss.YLabel("RSS (MiB)");
        rss.Axes.SetLimitsY(0, Math.Max(ChartMemoryLimitMiB, r.Memory.Max(m => Math.Max(m.RssMiB, m.AfterWorkMiB))) * 1.15);
        rss.ShowLegend(Alignment.LowerRight);

        multiplot.SavePng(path, 1400, 560);
    }

    private static void Series(Plot plot, Throughput t, string label, Color color)
    {
        // Start at (0, 0) so both curves share the origin; a step shape shows the pace as it was observed.
        var xs = new[] { 0.0 }.Concat(t.Series.Select(p => p[0])).ToArray();
        var ys = new[] { 0.0 }.Concat(t.Series.Select(p => p[1])).ToArray();
        var s = plot.Add.ScatterLine(xs, ys, color);
        s.LegendText = label;
        s.LineWidth = 2;
    }
}
