using System.Net;
using System.Net.Sockets;

namespace IsolationOperator.LocalCluster;

/// <summary>
/// Picks free loopback ports. Several planes may run at once (even in one process), so defaults like
/// 2379/6443 are never used and ports handed out by this process are never handed out twice.
/// </summary>
internal static class FreePort
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // Binding port 0 lets the kernel choose a port nobody listens on right now.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("no free loopback port found");
    }
}
