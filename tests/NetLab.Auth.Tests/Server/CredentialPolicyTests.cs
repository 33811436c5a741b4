using NetLab.Auth.Server;

namespace NetLab.Auth.Tests.Server;

public class CredentialPolicyTests
{
    [Theory]
    [InlineData("alice@lab.test")]
    [InlineData("Alice.Smith+tag@Sub.Lab.Test")]
    [InlineData("o'hara'--or'1'='1@lab.test")]
    [InlineData("x'/**/OR/**/1=1#@lab.test")]
    [InlineData("ñandú@lab.test")]
    public void CheckEmail_Valid_Null(string email) => Assert.Null(CredentialPolicy.CheckEmail(email));

    [Theory]
    [InlineData("", "required")]
    [InlineData("alice", "name@domain")]
    [InlineData("@lab.test", "name@domain")]
    [InlineData("alice@", "name@domain")]
    [InlineData("alice@localhost", "dot")]
    [InlineData("al ice@lab.test", "no spaces")]
    [InlineData("alice@@lab.test", "no spaces")]
    [InlineData(".alice@lab.test", "single dots")]
    [InlineData("a..b@lab.test", "single dots")]
    [InlineData("alice@lab..test", "dot")]
    [InlineData("alice@-lab.test", "hyphens")]
    [InlineData("alice@lab_x.test", "hyphens")]
    [InlineData("a\"b@lab.test", "quotes")]
    public void CheckEmail_Invalid_SaysWhy(string email, string hint)
    {
        Assert.Contains(hint, CredentialPolicy.CheckEmail(email), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckEmail_TooLong_SaysLimit()
    {
        Assert.Contains("64", CredentialPolicy.CheckEmail(new string('a', 65) + "@lab.test"), StringComparison.Ordinal);
        Assert.Contains("254", CredentialPolicy.CheckEmail("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("short", "at least 8 characters (it has 5)")]
    [InlineData("ñandú✓✓", "at least 8 characters (it has 7)")]
    public void CheckPassword_Weak_SaysWhy(string password, string hint)
    {
        Assert.Contains(hint, CredentialPolicy.CheckPassword(password), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPassword_Limits()
    {
        Assert.Null(CredentialPolicy.CheckPassword("12345678"));
        Assert.Null(CredentialPolicy.CheckPassword(new string('x', 256)));
        Assert.Contains("at most 256", CredentialPolicy.CheckPassword(new string('x', 257)), StringComparison.Ordinal);
        Assert.Null(CredentialPolicy.CheckPassword("🙂🙂🙂🙂🙂🙂🙂🙂"));
    }
}
