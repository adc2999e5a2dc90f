using System.Net;
using System.Net.Sockets;

namespace IsolationOperator.Tests.Integration.Infrastructure;

/// <summary>
/// A TCP proxy on loopback in front of the API server that can start dropping everything without closing anything
/// (no RST, no FIN): the way a dead network path looks to a client. Connections made while it drops, and those it
/// dropped on, stay dead; connections made after <see cref="Heal"/> work again.
/// </summary>
public sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _accepting;
    private volatile int _generation;
    private volatile bool _dropping;

    public BlackholeProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>From now on nothing is forwarded on any connection, and nothing is closed.</summary>
    public void Drop() => _dropping = true;

    /// <summary>New connections work again; the ones that went dead stay dead.</summary>
    public void Heal()
    {
        _generation++;
        _dropping = false;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            lock (_held) _held.Add(client);
            if (_dropping) continue; // accepted, never answered
            _ = Task.Run(() => ForwardAsync(client, _generation));
        }
    }

    private async Task ForwardAsync(TcpClient client, int generation)
    {
        using var upstream = new TcpClient();
        try { await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token); }
        catch (Exception) { return; }
        var a = PumpAsync(client.GetStream(), upstream.GetStream(), generation);
        var b = PumpAsync(upstream.GetStream(), client.GetStream(), generation);
        await Task.WhenAny(a, b);
        if (!_dropping && generation == _generation) client.Close(); // a real close passes through; a dead path never closes
    }

    private async Task PumpAsync(Stream from, Stream to, int generation)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                if (_dropping || generation != _generation) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_held) foreach (var c in _held) c.Dispose();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
