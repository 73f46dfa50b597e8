package com.checkoutroutes.operations;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceSupport;

/**
 * A route file's content as it was checked, held in memory under the file's own location and URI. Camel's reload
 * looks the file up on disk through {@link #getURI()} (Paths.get(uri)); a plain in-memory resource derives its URI
 * from the location, and the shipped relative pattern (file:routes/x.yaml) gives an opaque URI that Paths.get refuses
 * ("URI is not hierarchical"), so the file's own absolute URI is kept.
 */
final class CheckedRouteFile extends ResourceSupport {

    private final URI uri;
    private final byte[] content;

    CheckedRouteFile(Resource file, byte[] content) {
        super(file.getScheme(), file.getLocation());
        this.uri = file.getURI();
        this.content = content.clone();
    }

    @Override
    public boolean exists() {
        return true;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public InputStream getInputStream() {
        return new ByteArrayInputStream(content);
    }
}
