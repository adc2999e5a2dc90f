using System.Collections.Concurrent;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// Every local plane not yet disposed. If the process exits (normally, or by an uncancelled Ctrl+C) without
/// disposing them, they are stopped synchronously here; a SIGKILL is left to the watchdog.
/// </summary>
internal static class LivePlanes
{
    private static readonly ConcurrentDictionary<LocalPlane, byte> Planes = new();

    static LivePlanes()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
        // Hosts that cancel Ctrl+C (e.g. Program) dispose themselves; only an uncancelled one ends the process.
        Console.CancelKeyPress += (_, e) =>
        {
            if (!e.Cancel)
            {
                StopAll();
            }
        };
    }

    public static void Add(LocalPlane plane) => Planes.TryAdd(plane, 0);

    public static void Remove(LocalPlane plane) => Planes.TryRemove(plane, out _);

    private static void StopAll()
    {
        foreach (var plane in Planes.Keys)
        {
            plane.StopNow();
        }
    }
}
