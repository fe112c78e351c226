<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of the portal as a readable page in a browser; feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> · 订阅源</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
        <link rel="stylesheet" href="/static/css/portal.css"/>
      </head>
      <body>
        <header class="site"><div class="inner"><a class="brand" href="/">法治湖州·依法行政平台</a></div></header>
        <main id="content">
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="hint">这是一个 Atom 订阅源（Atom feed）：把本页地址复制到阅读器（RSS/Atom 阅读器、Outlook 等）即可订阅，有新内容时自动收到。 Copy this page's address into a feed reader to subscribe.</p>
          <xsl:if test="atom:subtitle"><p class="muted"><xsl:value-of select="atom:subtitle"/></p></xsl:if>
          <ol class="feed-entries">
            <xsl:for-each select="atom:entry">
              <li>
                <a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a>
                <span class="muted"> · <time class="date" datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></span>
                <xsl:if test="atom:summary"><p><xsl:value-of select="atom:summary"/></p></xsl:if>
              </li>
            </xsl:for-each>
          </ol>
          <xsl:if test="not(atom:entry)"><p class="muted">暂无内容。</p></xsl:if>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
