// Placeholder until the dns-server host lands.
return 0;
