# syntax=docker/dockerfile:1
#
# Builds sitpress and a site with it, then serves the site with nginx: for teams that deploy
# containers. The build context is this repository; the site is the example site at its root
# unless another folder is given as the `site` build context:
#
#   docker build -t sitreps .                                    # the example site
#   docker build --build-context site=../my-site \
#       --build-arg BASE_URL=https://intel.example.org/ -t sitreps .
#   docker run --rm -p 8080:80 sitreps                           # http://localhost:8080/
#
# The built files alone, without an image (STIX bundle included, at /stix.json):
#
#   docker build --target public --output type=local,dest=public .
#
# Needs BuildKit (the default builder since Docker 23) for `--build-context` and `--output`.

ARG RUST_VERSION=1.85

# --- sitpress, from this repository -------------------------------------------------------
FROM rust:${RUST_VERSION}-slim-bookworm AS sitpress
WORKDIR /usr/src/sitpress
COPY Cargo.toml Cargo.lock build.rs ./
# The manifest names a benchmark, which names the corpus generator: cargo wants both present.
COPY benches benches
COPY examples examples
COPY src src
COPY templates templates
COPY static static
RUN cargo build --release --locked --bin sitpress \
    && install -m 0755 target/release/sitpress /usr/local/bin/sitpress

# --- the site's sources: replaced by `--build-context site=<folder>` ----------------------
FROM scratch AS site
COPY sitpress.yaml /sitpress.yaml
COPY content /content
COPY static /static
COPY templates /templates

# --- the built site -----------------------------------------------------------------------
FROM sitpress AS build
# Overrides `base_url` from sitpress.yaml when set; ids in /stix.json are derived from it.
ARG BASE_URL
# Forecasts are judged against this day (seconds since the epoch); the build's day if unset.
ARG SOURCE_DATE_EPOCH
COPY --from=site / /site
RUN set -eu; \
    if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then unset SOURCE_DATE_EPOCH; fi; \
    if [ -n "${BASE_URL:-}" ]; then set -- --base-url "$BASE_URL"; fi; \
    sitpress build --quiet --root /site --output /public "$@"

FROM scratch AS public
COPY --from=build /public /

# --- a small image that serves it (the default target) ------------------------------------
FROM nginx:1.27-alpine
# The site's own 404 page; pages link relatively, so any path prefix works.
RUN printf '%s\n' \
    'server {' \
    '    listen 80;' \
    '    root /usr/share/nginx/html;' \
    '    index index.html;' \
    '    error_page 404 /404.html;' \
    '    location / { try_files $uri $uri/ =404; }' \
    '}' > /etc/nginx/conf.d/default.conf
COPY --from=public / /usr/share/nginx/html
EXPOSE 80
