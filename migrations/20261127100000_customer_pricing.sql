-- Customer-specific pricing and remembered match corrections (issue 4).

-- Contract (net) prices: for this customer and SKU the price replaces the list price, and
-- neither quantity tiers nor the customer's discount apply on top of it.
create table customer_prices (
    id          bigint generated always as identity primary key,
    customer_id bigint not null references customers (id) on delete cascade,
    sku         text not null references products (sku),
    price       numeric(14, 4) not null check (price >= 0),
    currency    text not null check (currency ~ '^[A-Z]{3}$'),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (customer_id, sku)
);
create trigger customer_prices_updated_at before update on customer_prices
    for each row execute function set_updated_at();

-- A person's choice of product for a requested description, remembered so that the same
-- request is matched to the same product next time. customer_id null: for every customer.
-- description_key is pipeline::normalize::normalize(description).
create table match_corrections (
    id              bigint generated always as identity primary key,
    customer_id     bigint references customers (id) on delete cascade,
    description_key text not null check (btrim(description_key) <> ''),
    sku             text not null references products (sku),
    actor           text not null,
    channel         text not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create unique index match_corrections_key on match_corrections (coalesce(customer_id, 0), description_key);
create trigger match_corrections_updated_at before update on match_corrections
    for each row execute function set_updated_at();
