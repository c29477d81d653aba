package io.stackpilot.planner.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The planner's OpenAPI description, served at /v3/api-docs (generated from the controllers). */
@Configuration
class OpenApiConfig {

  @Bean
  OpenAPI plannerOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Stackpilot planner")
                .version("v1")
                .description(
                    "Declare an observability stack and a fleet (YAML); get a validated,"
                        + " dependency-ordered, progressive rollout. Mutating calls need a bearer"
                        + " token; dry runs and reads do not. Errors are RFC 9457 problem details"
                        + " naming the fields at fault."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }
}
