using IsolationOperator.Admission;

namespace IsolationOperator.Tests.Unit.Admission;

public sealed class WebhookCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Names = ["localhost", "127.0.0.1", "op-webhook.isolation-system.svc"];
    private static readonly TimeSpan Ca = TimeSpan.FromDays(3650);
    private static readonly TimeSpan Serving = TimeSpan.FromDays(90);

    [Fact]
    public void Nothing_stored_means_a_new_CA_and_serving_certificate() =>
        WebhookCertificates.Decide(null, Now, Names).Should().Be(CertificateAction.CreateAll);

    [Fact]
    public void A_fresh_bundle_is_kept_and_names_every_address()
    {
        var bundle = WebhookCertificates.CreateAll(Now, Ca, Serving, Names);

        WebhookCertificates.Decide(bundle, Now.AddDays(1), Names).Should().Be(CertificateAction.Keep);
        WebhookCertificates.Names(bundle.ServingCertificate()).Should().BeEquivalentTo(Names);
    }

    [Fact]
    public void The_serving_certificate_is_renewed_with_a_third_of_its_life_left_and_the_CA_stays()
    {
        var bundle = WebhookCertificates.CreateAll(Now, Ca, Serving, Names);

        WebhookCertificates.Decide(bundle, Now.AddDays(55), Names).Should().Be(CertificateAction.Keep);
        WebhookCertificates.Decide(bundle, Now.AddDays(61), Names).Should().Be(CertificateAction.RenewServing);

        var renewed = WebhookCertificates.RenewServing(bundle, Now.AddDays(61), Serving, Names);
        renewed.CaCertPem.Should().Be(bundle.CaCertPem);
        renewed.CaKeyPem.Should().Be(bundle.CaKeyPem);
        renewed.ServingCertPem.Should().NotBe(bundle.ServingCertPem);
        WebhookCertificates.Decide(renewed, Now.AddDays(61), Names).Should().Be(CertificateAction.Keep, "the new one is signed by the stored CA");
    }

    [Fact]
    public void A_missing_name_renews_the_serving_certificate()
    {
        var bundle = WebhookCertificates.CreateAll(Now, Ca, Serving, ["localhost"]);
        WebhookCertificates.Decide(bundle, Now, Names).Should().Be(CertificateAction.RenewServing);
    }

    [Fact]
    public void A_CA_near_its_end_or_an_unreadable_bundle_starts_over()
    {
        var bundle = WebhookCertificates.CreateAll(Now, TimeSpan.FromDays(100), TimeSpan.FromDays(10), Names);
        WebhookCertificates.Decide(bundle, Now.AddDays(70), Names).Should().Be(CertificateAction.CreateAll);
        WebhookCertificates.Decide(bundle with { ServingKeyPem = "garbage" }, Now, Names).Should().Be(CertificateAction.CreateAll);
    }

    [Fact]
    public void A_serving_certificate_never_outlives_its_CA()
    {
        var bundle = WebhookCertificates.CreateAll(Now, TimeSpan.FromDays(30), TimeSpan.FromDays(20), Names);
        var late = WebhookCertificates.RenewServing(bundle, Now.AddDays(15), TimeSpan.FromDays(20), Names);
        late.ServingCertificate().NotAfter.Should().BeOnOrBefore(bundle.CaCertificate().NotAfter);
    }

    [Fact]
    public void Short_lifetimes_are_backdated_by_a_tenth_not_a_minute()
    {
        var bundle = WebhookCertificates.CreateAll(Now, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), Names);
        WebhookCertificates.Decide(bundle, Now.AddSeconds(10), Names).Should().Be(CertificateAction.Keep);
        WebhookCertificates.Decide(bundle, Now.AddSeconds(21), Names).Should().Be(CertificateAction.RenewServing);
    }

    [Fact]
    public void The_secret_round_trips_the_bundle()
    {
        var bundle = WebhookCertificates.CreateAll(Now, Ca, Serving, Names);
        CertificateBundle.FromSecretData(bundle.ToSecretData()).Should().Be(bundle);
        CertificateBundle.FromSecretData(new Dictionary<string, byte[]> { ["tls.crt"] = [1] }).Should().BeNull();
    }
}
