using System.Text;
using IsolationOperator.Desired;
using IsolationOperator.Tests.Unit.Support;
using k8s.Models;

namespace IsolationOperator.Tests.Unit.Desired;

public class SecretBuilderTests
{
    private static readonly SecretPlan Db = new("demo-db", [new SecretKeyPlan("username", 16), new SecretKeyPlan("password", 32)], null);

    private static V1Secret Build(SecretPlan secret, V1Secret? existing = null, bool rotate = false, DateTimeOffset? now = null, string tenant = "acme") =>
        SecretBuilder.Build(Tenants.Plan(name: tenant), secret, existing, rotate, now ?? Tenants.Now);

    private static string Text(V1Secret s, string key) => Encoding.ASCII.GetString(s.Data[key]);

    [Fact]
    public void New_secret_gets_random_values_of_the_requested_length()
    {
        var secret = Build(Db);

        secret.Type.Should().Be("Opaque");
        secret.Metadata.Name.Should().Be("demo-db");
        secret.Metadata.NamespaceProperty.Should().Be("demo-acme");
        TenantLabels.TenantOf(secret.Metadata).Should().Be("acme");
        secret.Data.Keys.Should().BeEquivalentTo("username", "password");
        Text(secret, "username").Should().HaveLength(16).And.MatchRegex("^[A-Za-z0-9]+$");
        Text(secret, "password").Should().HaveLength(32).And.MatchRegex("^[A-Za-z0-9]+$");
        SecretBuilder.GeneratedAt(secret).Should().Be(Tenants.Now);
    }

    [Fact]
    public void Existing_secret_values_are_kept_when_the_spec_changes()
    {
        var first = Build(Db);
        var longer = Db with { Keys = [new SecretKeyPlan("username", 20), new SecretKeyPlan("password", 64)] };

        var again = Build(longer, existing: first, now: Tenants.Now.AddDays(3));

        Text(again, "username").Should().Be(Text(first, "username"));
        Text(again, "password").Should().Be(Text(first, "password"), "a restart or spec change must never lose a live demo's password");
        SecretBuilder.GeneratedAt(again).Should().Be(Tenants.Now, "nothing was generated, so the stamp stays");
    }

    [Fact]
    public void A_new_key_is_generated_and_the_others_are_kept()
    {
        var first = Build(Db);
        var more = Db with { Keys = [.. Db.Keys, new SecretKeyPlan("apiKey", 40)] };

        var again = Build(more, existing: first, now: Tenants.Now.AddHours(1));

        Text(again, "password").Should().Be(Text(first, "password"));
        Text(again, "apiKey").Should().HaveLength(40);
    }

    [Fact]
    public void A_key_removed_from_the_spec_is_dropped()
    {
        var first = Build(Db);
        var fewer = Db with { Keys = [new SecretKeyPlan("password", 32)] };
        Build(fewer, existing: first).Data.Keys.Should().Equal("password");
    }

    [Fact]
    public void An_emptied_value_is_regenerated()
    {
        var first = Build(Db);
        first.Data["password"] = [];
        Text(Build(Db, existing: first), "password").Should().HaveLength(32);
    }

    [Fact]
    public void Two_tenants_get_different_secret_values()
    {
        var acme = Build(Db, tenant: "acme");
        var globex = Build(Db, tenant: "globex");

        Text(acme, "password").Should().NotBe(Text(globex, "password"));
        Text(acme, "username").Should().NotBe(Text(globex, "username"));
        Text(acme, "username").Should().NotBe(Text(acme, "password")[..16], "keys are generated independently");
    }

    [Fact]
    public void Rotation_regenerates_every_value()
    {
        var first = Build(Db);
        var later = Tenants.Now.AddDays(30);

        var rotated = Build(Db, existing: first, rotate: true, now: later);

        Text(rotated, "username").Should().NotBe(Text(first, "username")).And.HaveLength(16);
        Text(rotated, "password").Should().NotBe(Text(first, "password")).And.HaveLength(32);
        SecretBuilder.GeneratedAt(rotated).Should().Be(later);
    }

    [Fact]
    public void Generation_time_round_trips_through_the_annotation()
    {
        var at = new DateTimeOffset(2025, 6, 1, 14, 30, 15, 123, TimeSpan.FromHours(2));
        var secret = Build(Db, now: at);

        secret.Metadata.Annotations[SecretBuilder.GeneratedAtAnnotation].Should().Be("2025-06-01T12:30:15.123Z");
        SecretBuilder.GeneratedAt(secret).Should().Be(at);
        SecretBuilder.GeneratedAt(null).Should().BeNull();
        SecretBuilder.GeneratedAt(new V1Secret { Metadata = new V1ObjectMeta() }).Should().BeNull();
        SecretBuilder.GeneratedAt(new V1Secret
        {
            Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [SecretBuilder.GeneratedAtAnnotation] = "yesterday" } },
        }).Should().BeNull();
    }

    [Fact]
    public void Next_rotation_is_one_period_after_the_last_generation()
    {
        var rotating = Db with { RotateEvery = TimeSpan.FromHours(24) };
        var secret = Build(rotating);

        SecretBuilder.NextRotation(rotating, secret).Should().Be(Tenants.Now.AddHours(24));
        SecretBuilder.NextRotation(Db, secret).Should().BeNull("a secret without rotateEvery never rotates");
        SecretBuilder.NextRotation(rotating, null).Should().BeNull("a secret not yet created has nothing to rotate");
    }
}
