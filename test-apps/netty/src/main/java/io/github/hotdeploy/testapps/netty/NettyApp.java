package io.github.hotdeploy.testapps.netty;

import io.github.hotdeploy.testapps.common.AppArgs;
import io.github.hotdeploy.testapps.common.Bodies;
import io.github.hotdeploy.testapps.common.Replies;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.2 HTTP server. {@code --transport nio} (default) binds through the JDK's
 * ServerSocketChannel; {@code --transport epoll} through Netty's own native socket code, which
 * never enters the JDK's bind.
 */
public final class NettyApp {

    private NettyApp() {
    }

    public static void main(String[] args) throws Exception {
        AppArgs options = AppArgs.parse("netty", args);
        boolean epoll = "epoll".equals(options.choice("transport", "nio", "epoll"));
        if (epoll) {
            Epoll.ensureAvailability();
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        String name = epoll ? "netty-epoll" : "netty-nio";

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new HttpObjectAggregator(Bodies.MAX_SIZE), new Hello(name));
                        }
                    })
                    .bind(options.host(), options.port())
                    .sync()
                    .channel();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String name;

        Hello(String name) {
            this.name = name;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String raw = request.uri().indexOf('?') < 0 ? null : request.uri().substring(request.uri().indexOf('?') + 1);
            if (request.method().equals(HttpMethod.POST) && Bodies.isEcho(uri.path())) {
                byte[] received = new byte[request.content().readableBytes()];
                request.content().readBytes(received);
                respond(ctx, keepAlive, HttpResponseStatus.OK, Bodies.echo(received, received.length));
            } else if (Bodies.isBytes(uri.path())) {
                bytes(ctx, keepAlive, Bodies.Query.parse(raw));
            } else if ("/".equals(uri.path())) {
                respond(ctx, keepAlive, HttpResponseStatus.OK, Replies.hello(name));
            } else if (Replies.isSleep(uri.path())) {
                long ms = Replies.sleepMillis(raw);
                // Never block an event loop: the other connections on it would stall too.
                ctx.executor().schedule(() -> respond(ctx, keepAlive, HttpResponseStatus.OK, Replies.slept(name, ms)),
                        ms, TimeUnit.MILLISECONDS);
            } else {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "not found\n");
            }
        }

        /** A full response with a Content-Length, or (chunked=1) a head and then one flushed chunk per piece. */
        private static void bytes(ChannelHandlerContext ctx, boolean keepAlive, Bodies.Query query) {
            byte[] body = query.body();
            if (!query.chunked()) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                HttpUtil.setContentLength(response, body.length);
                HttpUtil.setKeepAlive(response, keepAlive);
                ctx.writeAndFlush(response);
                return;
            }
            DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head, keepAlive);
            ctx.writeAndFlush(head);
            int piece = Bodies.pieceSize(body.length);
            for (int off = 0; off < body.length; off += piece) {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, off, Math.min(piece, body.length - off))));
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }

        private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            ctx.writeAndFlush(response);
        }
    }
}
