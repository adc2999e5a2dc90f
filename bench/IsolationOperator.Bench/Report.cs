using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IsolationOperator.Bench;

/// <summary>Writes a run as JSON (the data) and markdown (the table the README quotes).</summary>
public static class Report
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteJson(BenchResult r, string path) => File.WriteAllText(path, JsonSerializer.Serialize(r, Json));

    public static string Markdown(BenchResult r, string? pictureName)
    {
        static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
        static string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "n/a (no audit log)";
        var m = r.Machine;
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"### {r.Settings.Tenants} tenants, {r.Settings.Workers} workers ({r.StartedAt:yyyy-MM-dd HH:mm} UTC)");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{m.Processors} cores, {F(m.MemoryGiB, "0")} GiB, .NET SDK {m.Dotnet}, Kubernetes {m.Kubernetes}, {m.Cluster}; operator build {r.Settings.OperatorBuild}{string.Concat(r.Settings.OperatorEnv.Select(e => $", {e.Key}={e.Value}"))}. {m.Note}");
        s.AppendLine();
        s.AppendLine("| measurement | value |");
        s.AppendLine("|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| create → all Ready, operator | {F(r.Operator.Seconds, "0.0")} s ({F(r.Operator.TenantsPerSecond, "0.0")} tenants/s) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| same objects applied directly (floor) | {F(r.Floor.Seconds, "0.0")} s ({F(r.Floor.TenantsPerSecond, "0.0")} tenants/s) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| **ratio operator / floor** | **{F(r.Ratio)}** |");
        var work = r.Provisioning;
        s.AppendLine(CultureInfo.InvariantCulture, $"| work per tenant while provisioning, operator | {F(work.ReconcilesPerTenant)} reconciles, {(work.RequestsPerTenant is { } q ? F(q) : "n/a")} API requests (floor: {work.FloorRequestsPerTenant}) |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| one tenant apply → Ready, with {r.Latency.TenantsPresent} present ({r.Latency.Samples} samples) | p50 {F(r.Latency.P50Ms, "0")} ms, p99 {F(r.Latency.P99Ms, "0")} ms |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| idle {F(r.Idle.Seconds, "0")} s: writes / lists / gets (leases aside) | {N(r.Idle.Writes)} / {N(r.Idle.Lists)} / {N(r.Idle.Gets)} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| idle CPU | {F(r.Idle.CpuPercentOfCore, "0.00")} % of a core |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| full resync ({F(r.Resync.Reconciles, "0")} no-op reconciles in {F(r.Resync.Seconds, "0.0")} s) | {F(r.Resync.CpuMsPerReconcile, "0.00")} CPU-ms each ({F(r.Resync.NetCpuMsPerReconcile, "0.00")} net of idle); {N(r.Resync.Requests)} API requests |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| restart on a full cluster | settled in {F(r.Restart.SecondsToSettled, "0.0")} s, {F(r.Restart.CpuMs / 1000, "0.0")} CPU-s; {N(r.Restart.Writes)} writes, {N(r.Restart.Lists)} lists, {N(r.Restart.Gets)} gets; RSS {F(r.Restart.AfterWorkMiB, "0")} MiB after it, {F(r.Restart.RssMiB, "0")} MiB settled |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| operator RSS by tenants, settled (30 s idle) | {string.Join(", ", r.Memory.Select(x => $"{x.Tenants}: {F(x.RssMiB, "0")} MiB"))} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| operator RSS by tenants, 5 s after provisioning | {string.Join(", ", r.Memory.Select(x => $"{x.Tenants}: {F(x.AfterWorkMiB, "0")} MiB"))} |");
        if (pictureName is not null)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"![Ready over time and RSS by tenants]({pictureName})");
        }
        return s.ToString();
    }
}
