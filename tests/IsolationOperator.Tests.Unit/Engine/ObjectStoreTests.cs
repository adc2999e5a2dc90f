using IsolationOperator.Engine;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace IsolationOperator.Tests.Unit.Engine;

public class ObjectStoreTests
{
    private static V1ConfigMap Cm(string name, string rv, string ns = "demo-a") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv } };

    [Fact]
    public void An_older_version_never_replaces_a_newer_one()
    {
        var store = new ObjectStore<V1ConfigMap>();
        store.Put(Cm("a", "20"));
        store.Put(Cm("a", "10")).Changed.Should().BeFalse();
        store.Get("demo-a", "a")!.Metadata.ResourceVersion.Should().Be("20");
    }

    [Fact]
    public void A_write_through_that_arrives_after_the_delete_does_not_resurrect_the_object()
    {
        var store = new ObjectStore<V1ConfigMap>();
        store.Put(Cm("a", "10"));
        store.Delete("demo-a", "a", "15"); // the watch's DELETE, processed first
        store.Put(Cm("a", "12")).Changed.Should().BeFalse("the reconcile's own write result is older than the deletion");
        store.Get("demo-a", "a").Should().BeNull();
    }

    [Fact]
    public void A_new_object_of_the_same_name_after_a_delete_is_kept()
    {
        var store = new ObjectStore<V1ConfigMap>();
        store.Put(Cm("a", "10"));
        store.Delete("demo-a", "a", "15");
        store.Put(Cm("a", "30")).Changed.Should().BeTrue();
    }

    [Fact]
    public void Tombstones_expire()
    {
        var time = new FakeTimeProvider();
        var store = new ObjectStore<V1ConfigMap>(time, TimeSpan.FromMinutes(2));
        store.Delete("demo-a", "a", "15");
        time.Advance(TimeSpan.FromMinutes(3));
        store.Put(Cm("a", "12")).Changed.Should().BeTrue();
    }

    [Fact]
    public void A_relist_removes_what_it_no_longer_lists_and_keeps_a_newer_write_through()
    {
        var store = new ObjectStore<V1ConfigMap>();
        store.Put(Cm("gone", "5"));
        store.Put(Cm("fresh", "50"));
        var removed = store.Replace([Cm("fresh", "40"), Cm("other", "41", "demo-b")]);
        removed.Select(r => r.Metadata.Name).Should().Equal("gone");
        store.Get("demo-a", "fresh")!.Metadata.ResourceVersion.Should().Be("50");
        store.InNamespace("demo-b").Should().ContainSingle();
    }

    [Fact]
    public void The_namespace_index_follows_puts_and_deletes()
    {
        var store = new ObjectStore<V1ConfigMap>();
        store.Put(Cm("a", "1"));
        store.Put(Cm("b", "2"));
        store.Put(Cm("c", "3", "demo-b"));
        store.InNamespace("demo-a").Select(o => o.Metadata.Name).Should().BeEquivalentTo(["a", "b"]);
        store.Delete("demo-a", "a", "4");
        store.InNamespace("demo-a").Select(o => o.Metadata.Name).Should().BeEquivalentTo(["b"]);
        store.Count.Should().Be(2);
    }
}
