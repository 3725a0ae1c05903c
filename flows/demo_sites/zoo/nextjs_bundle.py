"""The static files of the Next.js site: its webpack runtime, the article page chunk and CSS.

The page chunk is what turns ``__NEXT_DATA__`` into the article a reader sees, the way a
pages-router build hydrates: headline (EN h1, ZH h2), dek, "6 min read", "Updated 3h ago"
counted from the time the server embedded (so server and client agree), reactions, key
points and the body, under CSS-module class names.
"""

# ruff: noqa: E501 - page templates keep the long lines a CMS emits; wrapping them hides the markup.

BUILD_ID = "kH3v9QpL2xWf7Rt1Zc8bN"
WEBPACK = "/_next/static/chunks/webpack-59c5c889f52620d6.js"
FRAMEWORK = "/_next/static/chunks/framework-2c16ac744b6cdea6.js"
PAGE_CHUNK = "/_next/static/chunks/pages/news/%5Bslug%5D-6d1e4fbc25a0f7a2.js"
CSS = "/_next/static/css/4b2f1a9c7e05d3b8.css"
POLYFILLS = "/_next/static/chunks/polyfills-c67a75d1b6f99dc8.js"

WEBPACK_JS = b"""!function(){"use strict";var e={},t={};function n(r){var o=t[r];if(void 0!==o)return o.exports;var u=t[r]={exports:{}};return e[r](u,u.exports,n),u.exports}n.m=e;self.__NEXT_P=self.__NEXT_P||[];self.webpackChunk_N_E=self.webpackChunk_N_E||[]}();
"""

FRAMEWORK_JS = b"""(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[774],{}]);
"""

POLYFILLS_JS = b"""!function(){"use strict";/* legacy browsers only (nomodule) */}();
"""

PAGE_JS = rb"""(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[331],{}]);
!function(){"use strict";
var D=JSON.parse(document.getElementById("__NEXT_DATA__").textContent),P=D.props.pageProps,A=P.article,R=document.getElementById("__next");
if(!A||!R)return;
function c(t,k,x,l){var n=document.createElement(t);if(k)n.className=k;if(x!=null)n.textContent=x;if(l)n.setAttribute("lang",l);return n}
function a(p,ch){for(var i=0;i<ch.length;i++)if(ch[i])p.appendChild(ch[i]);return p}
function age(t){return Math.max(0,(Date.parse(P.serverTime)-Date.parse(t))/1e3)}
function ago(t){var s=age(t);if(s<60)return"just now";if(s<3600)return Math.floor(s/60)+"m ago";if(s<86400)return Math.floor(s/3600)+"h ago";return Math.floor(s/86400)+"d ago"}
function agoZh(t){var s=age(t);if(s<60)return"\u521a\u521a";if(s<3600)return Math.floor(s/60)+"\u5206\u949f\u524d";if(s<86400)return Math.floor(s/3600)+"\u5c0f\u65f6\u524d";return Math.floor(s/86400)+"\u5929\u524d"}
var words=A.body.reduce(function(n,b){return n+b.en.split(/\s+/).length},0),mins=Math.max(1,Math.round(words/200));
var head=document.head,can=document.createElement("link");can.rel="canonical";can.href=A.url;head.appendChild(can);
var hdr=a(c("header","Header_bar__9fKx2"),[a(c("a","Header_logo__d81Lm","Signal/Noise"),[]),c("span","Header_greeting__kP2x7",P.greeting),c("button","Header_signin__u7Y0p","Sign in")]);
hdr.firstChild.href="/";
var meta=a(c("div","styles_meta__x8Fq2"),[c("span","styles_author__Lw5e1","By "+A.author.name),c("span","styles_dot__b0Zp3"," \u00b7 "),c("time","styles_time__Hs7Qd","Updated "+ago(A.updatedAt)),c("span","styles_timeZh__Jm2Wd",agoZh(A.updatedAt)+"\u66f4\u65b0","zh-CN"),c("span","styles_dot__b0Zp3"," \u00b7 "),c("span","styles_read__r8Tn4",mins+" min read")]);
meta.querySelector("time").setAttribute("datetime",A.updatedAt);
var reactions=a(c("div","Reactions_bar__w3N1c"),Object.keys(P.reactions).map(function(k){return c("button","Reactions_btn__Zp1sD",k+" "+P.reactions[k])}));
var points=null;
if(A.keyPoints&&(A.keyPoints.en.length||A.keyPoints.zh.length)){points=a(c("aside","KeyPoints_box__c4Lk8"),[c("h2","KeyPoints_title__y2Vb7","Key points"),a(c("ul","KeyPoints_list__Qe9Ah",null,"en"),A.keyPoints.en.map(function(t){return c("li",null,t)})),c("h2","KeyPoints_title__y2Vb7","\u8981\u70b9","zh-CN"),a(c("ul","KeyPoints_list__Qe9Ah",null,"zh-CN"),A.keyPoints.zh.map(function(t){return c("li",null,t)}))])}
var en=A.body.map(function(b){return c("p","styles_para__G7kLm",b.en,"en")}).concat((A.corrections||[]).map(function(x){return c("p","styles_correction__Yc4Ra","Correction: "+x.en,"en")}));
var zh=[c("h2","styles_translationTitle__n4Gx0","\u4e2d\u6587\u8bd1\u6587","zh-CN")].concat(A.body.map(function(b){return c("p","styles_para__G7kLm",b.zh,"zh-CN")})).concat((A.corrections||[]).map(function(x){return c("p","styles_correction__Yc4Ra","\u66f4\u6b63\uff1a"+x.zh,"zh-CN")}));
var body=a(c("div","styles_body__Tn6Yb"),en.concat([a(c("section","styles_translation__Vb1Qe",null,"zh-CN"),zh)]));
var promo=a(c("div","Promo_box__mT3s8"),[c("p","Promo_text__E1f0z",P.promo),c("button","Promo_cta__w9Kc2","Subscribe")]);
var trend=a(c("aside","Trending_list__8bQ2r"),[c("h3","Trending_title__Vd4pS","Trending now")].concat(P.trending.map(function(t,i){var li=c("a","Trending_item__Kx0bT",(i+1)+". "+t.title);li.href="/topics/"+t.slug;return li})));
var article=a(c("article","styles_article__Zr7vE"),[c("p","styles_kicker__h2Xw0",A.section.en+" \u00b7 "+A.section.zh),c("h1","styles_headline__1xQ9a",A.headline.en,"en"),c("h2","styles_headlineZh__Pp3Vn",A.headline.zh,"zh-CN"),c("p","styles_dek__a7C2e",A.dek.en,"en"),c("p","styles_dek__a7C2e",A.dek.zh,"zh-CN"),meta,reactions,points,body,promo]);
var foot=c("footer","Footer_root__P1d0s","\u00a9 "+P.serverTime.slice(0,4)+" Signal/Noise Media \u00b7 build "+D.buildId+" \u00b7 rendered "+P.serverTime);
a(R,[a(c("div","layout_root__Qm3x1"),[hdr,a(c("main","styles_main__K2p9d"),[article,trend]),foot])]);
document.documentElement.setAttribute("data-hydrated","true");
}();
"""

CSS_TEXT = b""".layout_root__Qm3x1{max-width:72rem;margin:0 auto}.styles_meta__x8Fq2{color:#666}
.Header_bar__9fKx2{display:flex;gap:1rem}.KeyPoints_box__c4Lk8{border-left:4px solid #111}
"""
