package io.lightsout.api;

import io.lightsout.security.Caller;
import io.lightsout.security.CurrentCaller;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the API takes the caller for, and whether they may act: the first thing automation checks. */
@RestController
@RequestMapping("/api/v1/me")
class WhoAmIController {

  record Me(String userId, List<String> groups, boolean mayAct) {}

  @GetMapping
  Me me() {
    Caller caller = CurrentCaller.get();
    return new Me(caller.userId(), caller.groups(), caller.mayAct());
  }
}
