using NetLab.Auth.Passwords;

namespace NetLab.Auth.Tests.Passwords;

public class PasswordHasherTests
{
    private const int FastIterations = 1_000;

    [Fact]
    public void Hash_RecordNamesSchemeIterationsSaltAndHash()
    {
        string stored = PasswordHasher.Hash("correct horse", FastIterations);

        string[] parts = stored.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("1000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain("correct horse", stored, StringComparison.Ordinal);
        Assert.Equal(FastIterations, PasswordHasher.IterationsOf(stored));
    }

    [Fact]
    public void Hash_SamePasswordTwice_DifferentSalts()
    {
        Assert.NotEqual(PasswordHasher.Hash("same", FastIterations), PasswordHasher.Hash("same", FastIterations));
    }

    [Theory]
    [InlineData("hunter22")]
    [InlineData("pässwörd ünïcode ✓")]
    [InlineData("' OR '1'='1")]
    public void Verify_RightPassword_True(string password)
    {
        Assert.True(PasswordHasher.Verify(password, PasswordHasher.Hash(password, FastIterations)));
    }

    [Fact]
    public void Verify_WrongPassword_False()
    {
        string stored = PasswordHasher.Hash("hunter22", FastIterations);
        Assert.False(PasswordHasher.Verify("hunter23", stored));
        Assert.False(PasswordHasher.Verify("", stored));
    }

    // RFC 7914 section 11 publishes PBKDF2-HMAC-SHA256 vectors: P="passwd", S="salt", c=1, dkLen=64.
    [Fact]
    public void Verify_Rfc7914Vector_True()
    {
        byte[] expected = Convert.FromHexString(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
        string stored = $"pbkdf2-sha256$1${Convert.ToBase64String("salt"u8)}${Convert.ToBase64String(expected)}";

        Assert.True(PasswordHasher.Verify("passwd", stored));
        Assert.False(PasswordHasher.Verify("passwe", stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("pbkdf2-sha256$0$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$-5$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$not base64!$aGFzaA==")]
    [InlineData("pbkdf2-sha1$1000$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$c2FsdA==")]
    [InlineData("pbkdf2-sha256$1000$$aGFzaA==")]
    public void Verify_MalformedRecord_FalseNotThrow(string stored)
    {
        Assert.False(PasswordHasher.Verify("anything", stored));
        Assert.Null(PasswordHasher.IterationsOf(stored));
    }
}
