using System.Net;
using System.Text;
using IsolationOperator.Hosting;
using k8s;

namespace IsolationOperator.Tests.Unit.Hosting;

/// <summary>KubernetesClient deserializes a body with a synchronous read; the operator's client must never let it block on the network.</summary>
public sealed class BufferedResponseHandlerTests
{
    private const string NamespaceJson = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo-acme"}}""";

    [Fact]
    public async Task The_operators_client_reads_a_body_from_the_network_only_asynchronously()
    {
        var network = new FakeNetwork(NamespaceJson);
        using var client = KubernetesConnection.NewClient(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, network);

        var ns = await client.CoreV1.ReadNamespaceAsync("demo-acme");

        ns.Metadata.Name.Should().Be("demo-acme");
        network.SynchronousReads.Should().Be(0);
    }

    [Fact]
    public async Task Without_it_the_library_reads_the_body_synchronously()
    {
        // The reason the handler exists: if a KubernetesClient upgrade reads asynchronously, this fails and the handler can go.
        var network = new FakeNetwork(NamespaceJson);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, network);

        await client.CoreV1.ReadNamespaceAsync("demo-acme");

        network.SynchronousReads.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_watch_stays_a_stream()
    {
        BufferedResponseHandler.IsWatch(new Uri("https://h/api/v1/namespaces?allowWatchBookmarks=true&labelSelector=a%3Db&watch=true")).Should().BeTrue();
        BufferedResponseHandler.IsWatch(new Uri("https://h/api/v1/namespaces?watch=1")).Should().BeTrue();
        BufferedResponseHandler.IsWatch(new Uri("https://h/api/v1/namespaces?watch=false&limit=500")).Should().BeFalse();
        BufferedResponseHandler.IsWatch(new Uri("https://h/api/v1/namespaces/watch-me")).Should().BeFalse();
        BufferedResponseHandler.IsWatch(new Uri("https://h/api/v1/namespaces")).Should().BeFalse();
    }

    [Fact]
    public async Task A_watch_body_is_not_buffered()
    {
        var network = new FakeNetwork("");
        using var handler = new BufferedResponseHandler { InnerHandler = network };
        using var invoker = new HttpMessageInvoker(handler);
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://h/api/v1/namespaces?watch=true"), CancellationToken.None);
        network.BodiesServed.Should().Be(0, "a watch body is read by the watcher, line by line, as it arrives");
    }

    /// <summary>Stands in for the socket handler: its bodies throw on a synchronous read, as a blocking network read would block.</summary>
    private sealed class FakeNetwork(string body) : DelegatingHandler
    {
        private int _synchronousReads;
        private int _bodiesServed;
        public int SynchronousReads => Volatile.Read(ref _synchronousReads);
        public int BodiesServed => Volatile.Read(ref _bodiesServed);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new NetworkContent(this, Encoding.UTF8.GetBytes(body)), RequestMessage = request });

        private sealed class NetworkContent(FakeNetwork network, byte[] bytes) : HttpContent
        {
            protected override Task<Stream> CreateContentReadStreamAsync() =>
                Task.FromResult<Stream>(new NetworkStreamDouble(network, bytes));

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                await using var source = new NetworkStreamDouble(network, bytes);
                await source.CopyToAsync(stream);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = bytes.Length;
                return true;
            }
        }

        private sealed class NetworkStreamDouble(FakeNetwork network, byte[] bytes) : Stream
        {
            private int _position;

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

            public override int Read(Span<byte> buffer)
            {
                Interlocked.Increment(ref network._synchronousReads);
                return Take(buffer);
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (_position == 0) Interlocked.Increment(ref network._bodiesServed);
                return ValueTask.FromResult(Take(buffer.Span));
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            private int Take(Span<byte> buffer)
            {
                var n = Math.Min(buffer.Length, bytes.Length - _position);
                bytes.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
